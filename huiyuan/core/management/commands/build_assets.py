"""Copy the third-party front-end files from node_modules into settings.VENDOR_STATIC_DIR.

Versions are pinned in package.json / package-lock.json (`npm ci`). Only the files below are
copied, plus the source maps they name (`sourceMappingURL=`): the manifest static files storage
rewrites those references and fails on a missing file. Files under vendor/ that are no longer in
the table are removed, so the directory always holds exactly this set.
"""

import filecmp
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# target (under VENDOR_STATIC_DIR) -> source (under node_modules)
ASSETS = {
    "vendor/bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    # The stylesheet loads its fonts from ./fonts/.
    "vendor/bootstrap-icons/bootstrap-icons.min.css": (
        "bootstrap-icons/font/bootstrap-icons.min.css"
    ),
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2": (
        "bootstrap-icons/font/fonts/bootstrap-icons.woff2"
    ),
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff": (
        "bootstrap-icons/font/fonts/bootstrap-icons.woff"
    ),
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/alpinejs/alpine.min.js": "alpinejs/dist/cdn.min.js",
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}

SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*'\"]+)")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


class Command(BaseCommand):
    help = "把 node_modules 中的前端文件复制到 build/static / copy front-end files to build/static"
    # Copying files needs no URLconf, models or database: skip the system checks.
    requires_system_checks = []

    def handle(self, *args, **options):
        node_modules = Path(settings.BASE_DIR) / "node_modules"
        dest_root = Path(settings.VENDOR_STATIC_DIR)
        if not node_modules.is_dir():
            raise CommandError(
                f"找不到 {node_modules}：请先运行 npm ci / "
                f"{node_modules} is missing: run `npm ci` first"
            )

        plan = {}  # target -> source path
        for target, source in ASSETS.items():
            src = node_modules / source
            if not src.is_file():
                raise CommandError(
                    f"找不到 {src}：node_modules 不完整或版本不符，请运行 npm ci / "
                    f"{src} is missing: node_modules is incomplete or stale, run `npm ci`"
                )
            plan[target] = src
            if src.suffix in {".css", ".js"}:
                for map_name in SOURCE_MAP.findall(src.read_text(encoding="utf-8")):
                    if map_name.startswith("data:"):
                        continue
                    map_src = src.parent / map_name
                    if not map_src.is_file():
                        raise CommandError(
                            f"{src} 引用的 source map {map_src} 不存在 / "
                            f"{src} names source map {map_src}, which does not exist"
                        )
                    plan[str(Path(target).parent / map_name)] = map_src

        self._check_css_references(plan)

        copied = 0
        for target, src in plan.items():
            dest = dest_root / target
            if dest.is_file() and filecmp.cmp(src, dest, shallow=False):
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            copied += 1

        removed = self._remove_stale(dest_root / "vendor", {dest_root / t for t in plan})
        self.stdout.write(
            f"build_assets: {len(plan)} 个文件 / files in {dest_root / 'vendor'} "
            f"({copied} copied, {removed} removed)"
        )

    @staticmethod
    def _check_css_references(plan):
        """Every relative url() in a copied stylesheet must name a copied file."""
        for target, src in plan.items():
            if src.suffix != ".css":
                continue
            for url in CSS_URL.findall(src.read_text(encoding="utf-8")):
                if url.startswith(("data:", "#", "/")) or "://" in url:
                    continue
                path = url.split("?", 1)[0].split("#", 1)[0]
                wanted = (Path(target).parent / path).as_posix()
                if wanted not in plan:
                    raise CommandError(
                        f"{target} 引用了未复制的文件 {wanted}：请加入 ASSETS / "
                        f"{target} refers to {wanted}, which is not copied: add it to ASSETS"
                    )

    @staticmethod
    def _remove_stale(vendor_dir, keep):
        removed = 0
        if not vendor_dir.is_dir():
            return removed
        for path in sorted(vendor_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in keep:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed
