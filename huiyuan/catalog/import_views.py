"""Product import (template, upload → preview of bad rows → import) and export pages.

Between the preview and the import the upload waits in PRIVATE_MEDIA_ROOT/product_imports,
named by a random token kept in the operator's session; the import deletes it."""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huiyuan.catalog import imports, spreadsheets
from huiyuan.catalog.product_views import filtered_products
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "catalog_import"
MAX_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("xlsx 文件"))


def _upload_path(token):
    folder = settings.PRIVATE_MEDIA_ROOT / "product_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.xlsx"


def _xlsx(data, name):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _discard(request):
    """Forget (and delete) an earlier upload that was previewed but never imported."""
    token = request.session.pop(SESSION_KEY, None)
    if token:
        _upload_path(token).unlink(missing_ok=True)


@permission_page("catalog.add_product")
def import_template(request):
    return _xlsx(spreadsheets.template_workbook(), "product-import-template.xlsx")


@permission_page("catalog.view_product")
def export(request):
    _form, products = filtered_products(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(spreadsheets.export_workbook(products), f"products-{stamp}.xlsx")


@permission_page("catalog.add_product")
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise spreadsheets.FileError(_("文件超过 10 MB"))
            data = upload.read()
            report = imports.check_rows(spreadsheets.read_rows(data))
        except spreadsheets.FileError as error:
            form.add_error("file", str(error))
        else:
            _discard(request)
            if report.good:
                token = secrets.token_urlsafe(16)
                _upload_path(token).write_bytes(data)
                request.session[SESSION_KEY] = token
            context.update(report=report, file_name=upload.name)
    return render(request, "catalog/import.html", context)


@require_POST
@permission_page("catalog.add_product")
def import_commit(request):
    token = request.session.pop(SESSION_KEY, None)
    path = _upload_path(token) if token else None
    if path is None or not path.exists():
        messages.error(request, _("请先上传文件"))
        return redirect("catalog:import")
    try:
        report = imports.import_rows(
            actor=Actor.from_request(request), rows=spreadsheets.read_rows(path.read_bytes())
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog:import")
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, _("已导入 %(n)s 个商品") % {"n": len(report.good)})
    if report.errors:
        messages.warning(
            request, _("%(n)s 行未导入（已变化，请重新核对）") % {"n": len(report.errors)}
        )
    return redirect("catalog:products")
