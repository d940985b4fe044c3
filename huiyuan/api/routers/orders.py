from ninja import Router

router = Router(tags=["销售"])
