from django.urls import path

from directory import api

app_name = "oruk"

urlpatterns = [
    path("", api.api_root, name="root"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.service_list, name="service_list"),
    path("services/<str:pk>", api.service_detail, name="service_detail"),
    path("taxonomies", api.taxonomy_list, name="taxonomy_list"),
    path("taxonomies/<str:pk>", api.taxonomy_detail, name="taxonomy_detail"),
    path("taxonomy_terms", api.taxonomy_term_list, name="taxonomy_term_list"),
    path("taxonomy_terms/<str:pk>", api.taxonomy_term_detail, name="taxonomy_term_detail"),
    path("organizations", api.organization_list, name="organization_list"),
    path("organizations/<str:pk>", api.organization_detail, name="organization_detail"),
    path("service_at_locations", api.service_at_location_list, name="service_at_location_list"),
    path(
        "service_at_locations/<str:pk>",
        api.service_at_location_detail,
        name="service_at_location_detail",
    ),
]
