from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("search/", views.search_results, name="search"),
    path("search/suggest/", views.search_suggest, name="suggest"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("product/<slug:slug>/", views.product_detail, name="product"),
    path("product/<slug:slug>/review/", views.review_create, name="review"),
    path("product/<slug:slug>/notify/", views.stock_alert, name="stock_alert"),
    path("compare/", views.compare, name="compare"),
    path("compare/change/", views.compare_toggle, name="compare_toggle"),
]
