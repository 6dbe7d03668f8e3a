"""Public directory pages: search, service page, print view and "report a problem"."""

import uuid

from allauth.core import ratelimit
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from directory.forms import DirectorySearchForm, ProblemReportForm
from directory.selectors import service_get_published, service_search_page
from directory.services import problem_report_create

PER_PAGE = 20


@require_GET
def directory_search(request: HttpRequest) -> HttpResponse:
    """The search page; every filter is a GET parameter so results can be bookmarked."""
    form = DirectorySearchForm(request.GET or None)
    page_obj = None
    searched = bool(request.GET)
    if not searched or form.is_valid():
        if not searched:
            form = DirectorySearchForm({})
            form.is_valid()
        query = form.to_query()
        page_obj = service_search_page(
            query=query, number=request.GET.get("page"), per_page=PER_PAGE
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page_obj": page_obj,
            "pagination": _pagination(page_obj, params.urlencode()),
            "has_postcode": bool(form.is_bound and getattr(form, "point", None)),
        },
    )


def _pagination(page_obj, query_string: str) -> dict | None:
    """Previous, next and numbered links (None for an ellipsis), each keeping the filters."""
    if page_obj is None or page_obj.paginator.num_pages < 2:
        return None
    prefix = f"?{query_string}&page=" if query_string else "?page="
    links = [
        (None, "", False)
        if number == Paginator.ELLIPSIS
        else (number, f"{prefix}{number}", number == page_obj.number)
        for number in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        )
    ]
    return {
        "previous": f"{prefix}{page_obj.number - 1}" if page_obj.has_previous() else "",
        "next": f"{prefix}{page_obj.number + 1}" if page_obj.has_next() else "",
        "links": links,
    }


def _service_or_404(service_id: uuid.UUID):
    service = service_get_published(service_id=service_id)
    if service is None:
        raise Http404("No such service")
    return service


@require_GET
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Everything a practitioner needs to refer; ``print/`` renders the same for paper."""
    service = _service_or_404(service_id)
    return render(
        request, "directory/service_detail.html", {"service": service, "print_view": False}
    )


@require_GET
def service_print(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """The service page laid out for printing."""
    service = _service_or_404(service_id)
    return render(
        request, "directory/service_detail.html", {"service": service, "print_view": True}
    )


@require_http_methods(["GET", "POST"])
def service_report_problem(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Report a problem with an entry: creates a review task for editors, then confirms."""
    service = _service_or_404(service_id)
    form = ProblemReportForm(request.POST or None)
    if (
        request.method == "POST"
        and not request.user.is_authenticated
        and not ratelimit.consume(request, action="report_problem")
    ):
        # Anonymous reports create editors' review tasks: a flood would bury the real ones.
        return ratelimit.respond_429(request)
    if request.method == "POST" and form.is_valid():
        problem_report_create(
            service=service,
            description=form.cleaned_data["description"],
            reporter_email=form.cleaned_data["email"],
            reporter=request.user,
        )
        return redirect("directory:service_report_done", service_id=service.pk)
    return render(request, "directory/report_problem.html", {"service": service, "form": form})


@require_GET
def service_report_done(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Confirmation after reporting a problem."""
    service = _service_or_404(service_id)
    return render(request, "directory/report_done.html", {"service": service})
