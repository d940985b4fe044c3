from ninja import Router

router = Router(tags=["退货"])
