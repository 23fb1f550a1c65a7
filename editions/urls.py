from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [path("editions/", views.switcher, name="switcher")]
