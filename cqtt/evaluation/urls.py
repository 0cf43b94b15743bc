from django.urls import path

from . import criteria_views, reports_views, views

app_name = "evaluation"

urlpatterns: list = []

# --- indices and scorecard (views, apis) ---------------------------------------------------------------------
urlpatterns += [
    path("", views.home, name="home"),
    path("don-vi/<str:code>/", views.unit, name="unit"),
    path("don-vi/<str:code>/can-bo/", views.officers, name="officers"),
    path("don-vi/<str:code>/chi-so/<str:indicator>/", views.evidence, name="evidence"),
]

# --- criteria, cycles, inspections and recognition (criteria_views) ---------------------------------------
urlpatterns += [
    path("tieu-chi/", criteria_views.criteria_home, name="criteria-home"),
    path("tieu-chi/dot/<int:pk>/", criteria_views.criteria_cycle, name="criteria-cycle"),
    path("tieu-chi/dot/<int:pk>/bao-cao.pdf", criteria_views.criteria_report, name="criteria-report"),
    path("tieu-chi/danh-gia/<int:pk>/", criteria_views.criteria_assessment, name="criteria-assessment"),
    path("tieu-chi/minh-chung/<int:pk>/", criteria_views.criteria_evidence, name="criteria-evidence"),
    path("tieu-chi/bo-tieu-chi/", criteria_views.criteria_sets, name="criteria-sets"),
    path("tieu-chi/bo-tieu-chi/<int:pk>/", criteria_views.criteria_set, name="criteria-set"),
    path("tieu-chi/nhan-rong/", criteria_views.criteria_rollout, name="criteria-rollout"),
]

# --- reports (reports_views) ------------------------------------------------------------------------------
urlpatterns += [
    path("bao-cao/", reports_views.reports, name="reports"),
    path("bao-cao/<str:pk>/", reports_views.report, name="report"),
    path("bao-cao/<str:pk>/tai-ve.<str:fmt>", reports_views.report_file, name="report-file"),
]
