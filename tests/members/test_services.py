def test_registration_bonus_is_earned_on_registering_and_can_lift_the_tier(register, tiers):
    """The program's registration bonus lands with the registration; 300 points of it are
    enough for 银卡 at once (the member starts in 普通 first)."""
    from huiyuan.points.models import PointsProgram
    from huiyuan.points.selectors import points_balance
    from huiyuan.tiers.selectors import history_of, tier_of

    program = PointsProgram.current()
    program.registration_bonus = 300
    program.save()

    member = register()

    assert points_balance(member) == 300
    assert tier_of(member) == tiers["银卡"]
    assert [change.kind for change in history_of(member)] == ["upgrade", "start"]
