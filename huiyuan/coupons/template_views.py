"""Coupon template pages: the list, create and edit with a live preview on a sample cart."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.forms import split_list
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.coupons import template_rules
from huiyuan.coupons.forms import SampleCartForm, TemplateForm
from huiyuan.coupons.models import CouponState, CouponTemplate
from huiyuan.coupons.preview import preview


@permission_page("coupons.view_coupontemplate")
def template_list(request):
    templates = CouponTemplate.objects.select_related("member_day").annotate(
        issued=Count("coupons"),
        used=Count("coupons", filter=Q(coupons__state=CouponState.USED)),
    )
    return render(request, "coupons/template_list.html", {"templates": templates})


@permission_page("coupons.add_coupontemplate")
def template_create(request):
    return _template_form(request, None)


@permission_page("coupons.change_coupontemplate")
def template_edit(request, pk):
    return _template_form(request, get_object_or_404(CouponTemplate, pk=pk))


def _template_form(request, template):
    form = TemplateForm(request.POST or None, instance=template)
    sample = SampleCartForm(request.POST or None, auto_id="sample_%s")
    if request.method == "POST" and form.is_valid():
        try:
            saved = template_rules.save_template(
                actor=Actor.from_request(request), template=form.instance, **form.scope()
            )
        except DomainError as error:
            show_domain_error(form, _on_form(error))
        else:
            messages.success(request, _("优惠券模板“%(name)s”已保存") % {"name": saved.name})
            return redirect("coupons:templates")
    context = {"form": form, "sample": sample, "template": template}
    return render(
        request, "coupons/template_form.html", context, status=422 if form.errors else 200
    )


# The service's names of the scope fields → the form's.
FORM_FIELDS = {"products": "product_list", "gift_product": "gift_code"}


def _on_form(error: DomainError) -> DomainError:
    fields = {FORM_FIELDS.get(name, name): message for name, message in error.fields.items()}
    return DomainError(error.code, error.custom_message, fields)


@require_POST
@permission_page("coupons.view_coupontemplate")
def template_preview(request):
    """The form's template, unsaved, priced on the sample cart (htmx, as the form is edited)."""
    form = TemplateForm(request.POST)
    sample = SampleCartForm(request.POST)
    form.is_valid()
    sample.is_valid()
    problems = {name: " ".join(errors) for name, errors in form.errors.items() if name != "name"}
    problems.update({name: " ".join(errors) for name, errors in sample.errors.items()})
    if not problems:
        scope = form.scope()
        problems = template_rules.template_errors(form.instance, scope["products"])
    if problems:
        labels = {name: field.label for name, field in (form.fields | sample.fields).items()}
        shown = [
            (labels.get(FORM_FIELDS.get(name, name), ""), message)
            for name, message in problems.items()
        ]
        return render(request, "coupons/_preview.html", {"problems": shown})
    template = form.instance
    template.preview_scope = (
        [product.code for product in scope["products"]],
        [category.code for category in scope["categories"]],
    )
    codes = split_list(sample.cleaned_data["sample_codes"])
    result = preview(template, codes, sample.cleaned_data["sample_other_fen"] or 0)
    return render(request, "coupons/_preview.html", {"result": result})
