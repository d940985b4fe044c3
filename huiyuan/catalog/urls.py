from django.urls import path

from huiyuan.catalog import category_views, import_views, product_views, supplier_views

app_name = "catalog"
urlpatterns = [
    path("categories/", category_views.category_tree, name="categories"),
    path("categories/add/", category_views.category_add, name="category_add"),
    path("categories/<int:pk>/edit/", category_views.category_edit, name="category_edit"),
    path("categories/<int:pk>/move/", category_views.category_move, name="category_move"),
    path("categories/<int:pk>/shift/", category_views.category_shift, name="category_shift"),
    path("categories/<int:pk>/attributes/", category_views.attribute_add, name="attribute_add"),
    path("attributes/<int:pk>/edit/", category_views.attribute_edit, name="attribute_edit"),
    path("attributes/<int:pk>/delete/", category_views.attribute_delete, name="attribute_delete"),
    path("products/", product_views.product_list, name="products"),
    path("products/new/", product_views.product_create, name="product_create"),
    path("products/<int:pk>/", product_views.product_edit, name="product_edit"),
    path("products/<int:pk>/barcodes/", product_views.barcode_add, name="barcode_add"),
    path("products/<int:pk>/barcodes/remove/", product_views.barcode_remove, name="barcode_remove"),
    path("products/attribute-fields/", product_views.attribute_fields, name="attribute_fields"),
    path("products/export/", import_views.export, name="export"),
    path("products/import/", import_views.import_upload, name="import"),
    path("products/import/commit/", import_views.import_commit, name="import_commit"),
    path("products/import/template/", import_views.import_template, name="import_template"),
    path("suppliers/", supplier_views.supplier_list, name="suppliers"),
    path("suppliers/new/", supplier_views.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/", supplier_views.supplier_edit, name="supplier_edit"),
]
