from django_tasks import task


@task()
def report_build_task(report_id: int) -> bool:
    """Build one evaluation report (`reports_services.report_build`; a second run does nothing)."""
    from .reports_services import report_build

    return report_build(report_id=report_id)
