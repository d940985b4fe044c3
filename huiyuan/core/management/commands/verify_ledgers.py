from django.core.management.base import BaseCommand, CommandError

from huiyuan.core.ledgers import CHECKS, run_ledger_checks


class Command(BaseCommand):
    help = (
        "核对每个账户：余额 = 流水合计（积分还须 = 有效批次合计）"
        " / Prove every balance; non-zero exit on a mismatch."
    )

    def handle(self, *args, **options):
        mismatches = 0
        for line in run_ledger_checks():
            mismatches += 1
            self.stderr.write(line)
        if mismatches:
            raise CommandError(f"{mismatches} 处不符 / mismatches")
        self.stdout.write(
            self.style.SUCCESS(f"账目核对无误 / all ledgers add up ({len(CHECKS)} checks)")
        )
