"""The public read-only JSON API at /api/v2/: pages, images, documents, members, suppliers
and the election tables (/api/v2/elections/results/, control-changes/, councillor-changes/).

Built on Wagtail API v2. Everything here is for anonymous partners: only live, public pages
(Wagtail's pages endpoint already filters those), only publicly listed members and active
suppliers. Bad parameters are a 400 with a JSON ``message``, never a 500.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connection, models
from django.db.models import Prefetch
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import path, reverse
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from taggit.managers import TaggableManager, _TaggableManager
from wagtail.api import APIField
from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import (
    BadRequestError,
    get_full_url,
    get_object_detail_url,
    parse_fields_parameter,
)
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.serializers import DocumentSerializer as WagtailDocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.serializers import ImageSerializer as WagtailImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.query import PageQuerySet

from caching.versions import remember
from home.api_fields import SOCIAL_IMAGE_SPEC, TagNamesField, TitleListField
from home.lookups import first_live
from membership.api_fields import MemberProfileURLField
from membership.election_data import (
    API_FILTERS,
    API_ORDER,
    CONTROL_CHANGES,
    COUNCILLOR_CHANGES,
    DATASETS,
    FORMATS,
    RESULTS,
    ROW_BUILDERS,
    BadFilter,
    api_records,
    as_of,
    schema,
    shown_records,
    sources,
)
from membership.models import (
    LISTED_TIERS,
    ControlChange,
    CouncillorChange,
    DPSSupplier,
    ElectionOutcomesPage,
    ElectionResult,
    MemberCouncil,
    MemberDirectoryPage,
)
from operations.resilience import RETRY_AFTER_SECONDS
from search.query import clean_query, search_terms

logger = logging.getLogger(__name__)

LOGO_SPEC = "max-400x200"


class StrictFieldsFilter(FieldsFilter):
    """Field filters (``?nation=wales``) whose values are checked before they reach the database.

    Wagtail's own filter converts booleans, integers and foreign keys only, so ``?tier=bogus``
    quietly matches nothing and ``?annual_budget=abc`` is a 500. Here a value must fit its
    field: one of its choices, a number for a number, an id for a relation.
    """

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        narrower = getattr(view, "filter_choices", {})
        for name, value in request.GET.items():
            if name in fields and name != "locale":
                allowed = narrower.get(name)
                if allowed is not None and value not in allowed:
                    raise BadRequestError(
                        f"field filter error. {name} must be one of: {', '.join(allowed)}"
                    )
                check_filter_value(queryset.model, name, value)
        return super().filter_queryset(request, queryset, view)


def check_filter_value(model: type[models.Model], name: str, value: str) -> None:
    """Raise BadRequestError unless ``value`` is a valid filter value for ``model.name``."""
    if "\x00" in value:
        raise BadRequestError(f"field filter error. null characters are not allowed for {name}")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if isinstance(field, TaggableManager):
        return
    target = field.target_field if field.is_relation else field
    if isinstance(target, (models.BooleanField, RichTextField, StreamField)):
        # Booleans are parsed by Wagtail's filter; long text is not a sensible filter.
        return
    try:
        python_value = target.to_python(value)
        target.get_prep_value(python_value)
    except (ValidationError, ValueError, TypeError) as error:
        raise BadRequestError(
            f"field filter error. '{value[:50]}' is not a valid value for {name}"
        ) from error
    if field.choices:
        allowed = [str(choice) for choice, _label in field.flatchoices]
        if value not in allowed:
            raise BadRequestError(
                f"field filter error. {name} must be one of: {', '.join(allowed)}"
            )


class CleanSearchFilter(SearchFilter):
    """``?search=`` as plain words: punctuation and control characters mean nothing to the
    search and break SQLite's FTS5 query syntax (a 500 otherwise)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        terms = search_terms(clean_query(request.GET["search"]))
        if request.GET.get("search_operator") not in (None, "and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if not terms:
            # Nothing searchable: an empty result rather than everything.
            return queryset.none()
        query = request.GET.copy()
        query["search"] = terms
        request._request.GET = query
        return super().filter_queryset(request, queryset, view)


class ReadOnlyAPIMixin:
    """What every endpoint here shares: strict filters, clean search, bounded queries."""

    filter_backends = [StrictFieldsFilter, OrderingFilter, CleanSearchFilter]
    # Anonymous and read-only: the same answer for everyone, no sessions or CSRF involved.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def requested_fields(self, model: type[models.Model]) -> set[str]:
        """The names a listing will serialise: defaults plus or minus ``?fields=``."""
        fields = set(self.get_listing_default_fields(model))
        raw = self.request.GET.get("fields")
        if not raw:
            return fields
        try:
            config = parse_fields_parameter(raw)
        except ValueError:
            return fields  # the serializer reports the syntax error as a 400
        if config and config[0][0] == "*":
            fields = set(self.get_available_fields(model))
            config = config[1:]
        elif config and config[0][0] == "_":
            fields = set()
            config = config[1:]
        for name, negated, _sub in config:
            (fields.discard if negated else fields.add)(name)
        return fields

    def with_related(self, queryset: models.QuerySet) -> models.QuerySet:
        """select_related / prefetch_related for the relations the requested fields read."""
        model = queryset.model
        wanted = self.requested_fields(model)
        select, prefetch = set(), []
        for name in wanted:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, TaggableManager) or field.many_to_many or field.one_to_many:
                prefetch.append(name)
            elif field.is_relation and field.many_to_one:
                related = field.related_model
                if related is get_image_model():
                    spec = image_spec_for(model, name)
                    images = related.objects.prefetch_renditions(spec) if spec else None
                    prefetch.append(Prefetch(name, queryset=images) if images else name)
                else:
                    select.add(name)
        if select:
            queryset = queryset.select_related(*sorted(select))
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset

    def listing_view(self, request):
        try:
            return super().listing_view(request)
        except DatabaseError:
            if not database_answers():
                logger.error("Database unavailable serving %s", request.path, exc_info=True)
                return database_unavailable()
            # A search the engine cannot parse is the caller's input, not an outage.
            logger.warning("API query rejected by the database", exc_info=True)
            return Response({"message": "the query could not be run; check the search"}, 400)

    def find_object(self, queryset, request):
        """``find/?id=`` must be a whole number; a path with control characters finds nothing
        (PostgreSQL refuses a NUL byte in any string, which was a 500)."""
        raw_id = request.GET.get("id")
        if raw_id is not None and not ID.fullmatch(raw_id):
            raise BadRequestError("id must be a positive whole number")
        html_path = request.GET.get("html_path")
        if html_path is not None and not html_path.isprintable():
            raise Http404("not found")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        if isinstance(exc, DatabaseError) and not database_answers():
            # Detail and find views too: the API says so in JSON, not with the HTML 503 page.
            logger.error("Database unavailable serving the API", exc_info=exc)
            return database_unavailable()
        response = super().handle_exception(exc)
        if isinstance(exc, APIException) and isinstance(response.data, dict):
            # DRF's own errors (405, 406) say "detail"; keep one key for every error.
            detail = response.data.pop("detail", None)
            if detail is not None:
                response.data["message"] = str(detail)
        return response


# A primary key as the API accepts it: digits, no more than a bigint holds.
ID = re.compile(r"[0-9]{1,18}")


def database_answers() -> bool:
    """Whether the database still answers a trivial query (an outage, not a bad query)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def database_unavailable() -> Response:
    response = Response({"message": "the database is unavailable; try again shortly"}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def image_spec_for(model: type[models.Model], name: str) -> str | None:
    """The rendition an image field is serialised with, so its renditions can be prefetched."""
    for field in getattr(model, "api_fields", ()):
        serializer = getattr(field, "serializer", None)
        if getattr(field, "name", None) == name and isinstance(serializer, ImageRenditionField):
            return serializer.filter_spec
    return None


class CountRemembered:
    """A listing's queryset as Wagtail's paginator reads it (``count()``, then one slice),
    with the count remembered until content changes: ``meta.total_count`` counts every
    live page of a type, which grows with the site, while the slice reads one page."""

    def __init__(self, queryset: models.QuerySet):
        self.queryset = queryset

    def count(self) -> int:
        try:
            sql, params = self.queryset.query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing to count
            return 0
        key = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
        return remember(f"api:count:{key}", self.queryset.count)

    def __getitem__(self, window):
        return self.queryset[window]


class PublicPagesAPIViewSet(ReadOnlyAPIMixin, PagesAPIViewSet):
    """Live, public pages. ``?type=news.NewsPage`` unlocks that type's fields and filters."""

    filter_backends = [
        StrictFieldsFilter,
        *PagesAPIViewSet.filter_backends[1:-1],
        CleanSearchFilter,
    ]
    # Rendering every article's body in a listing would be slow; ask for one page's detail.
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "body_html"]

    def get_base_queryset(self):
        # Wagtail asks for this three times a request: work it out once.
        if not hasattr(self, "_base_queryset"):
            try:
                self._base_queryset = self.public_pages(Page)
            except ValueError as error:  # an unknown ?site=
                raise BadRequestError(str(error)) from error
        return self._base_queryset

    def public_pages(self, model: type[Page]) -> PageQuerySet:
        """Wagtail's ``get_public_pages_queryset`` for ``model`` (live, not behind a view
        restriction this request fails, in the requested site), with the restrictions read
        once per request for every model asked for."""
        if not hasattr(self, "_refused"):
            self._refused = [
                restriction.page
                for restriction in PageViewRestriction.objects.select_related("page")
                if not restriction.accept_request(self.request)
            ]
        queryset = model._default_manager.all().live()
        for page in self._refused:
            queryset = queryset.not_descendant_of(page, inclusive=True)
        requested = self.request.GET.get("site")
        if requested is not None and not requested.isprintable():
            # Wagtail looks the host up as given; PostgreSQL refuses a NUL byte (a 500).
            raise ValueError("site must be a host name, e.g. www.councils.coop")
        site = SiteFilterValidator(site=requested, request=self.request)
        if site.site_obj is None:
            return queryset.none()
        base, queryset = queryset, queryset.descendant_of(site.site_obj.root_page, inclusive=True)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            for translation in site.site_obj.root_page.get_translations():
                queryset |= base.descendant_of(translation, inclusive=True)
        return queryset

    def paginate_queryset(self, queryset):
        if isinstance(queryset, models.QuerySet):
            queryset = CountRemembered(queryset)
        return super().paginate_queryset(queryset)

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is not self.model:
            # One page type: Wagtail selects it by ``pk IN (every live page of the site)``,
            # a list SQLite builds from the whole tree on every request. The same conditions
            # on the type's own table read only its rows.
            queryset = self.public_pages(queryset.model)
        if queryset.model is not self.model and self.action == "listing_view":
            # One page type was asked for: its fields may be listed, so load their relations.
            queryset = self.with_related(queryset)
            if not self.requested_streamfields(queryset.model):
                queryset = queryset.defer_streamfields()
        return queryset

    def requested_streamfields(self, model: type[models.Model]) -> set[str]:
        streams = {f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)}
        return streams & self.requested_fields(model)

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        requested = self.request.GET.get("fields", "")
        for name in ("body_html",):
            if name in requested.split(","):
                raise BadRequestError(
                    f"{name} is only available on a page's detail view (/api/v2/pages/<id>/)"
                )


def used_publicly(queryset: models.QuerySet, request, *, logos: bool = False) -> models.QuerySet:
    """Only the images or documents that live, public pages use (per Wagtail's reference
    index), and for images also listed members' and active suppliers' logos.

    Wagtail lists every file outside a private collection; that would show the picture or
    PDF of an embargoed press release or a draft report before its page goes live.
    """
    model = queryset.model
    public_pages = get_public_pages_queryset(request).annotate(
        key=Cast("pk", output_field=models.CharField())
    )
    used = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_pages.values("key"),
            to_content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(target=Cast("to_object_id", output_field=models.BigIntegerField()))
        .values("target")
    )
    # Filters on the model's own primary key only: ``?search=`` hands these filters to the
    # search backend, which cannot read an annotated (cast) column (a 500 before).
    visible = models.Q(pk__in=used)
    if logos:
        visible |= models.Q(pk__in=MemberCouncil.objects.listed().values("logo"))
        visible |= models.Q(pk__in=DPSSupplier.objects.active().values("logo"))
    return queryset.filter(visible)


class PrefetchedTagsMixin:
    """Tags read from the prefetched rows: Wagtail's TagsField queries once per item."""

    def build_property_field(self, field_name, model_class):
        if isinstance(getattr(model_class, field_name), _TaggableManager):
            return TagNamesField, {}
        return super().build_property_field(field_name, model_class)


class DocumentSerializer(PrefetchedTagsMixin, WagtailDocumentSerializer):
    pass


class ImageSerializer(PrefetchedTagsMixin, WagtailImageSerializer):
    pass


class PublicDocumentsAPIViewSet(ReadOnlyAPIMixin, DocumentsAPIViewSet):
    """Documents live public pages link to, outside private collections, with their tags."""

    base_serializer_class = DocumentSerializer

    def get_queryset(self):
        queryset = used_publicly(super().get_queryset(), self.request)
        if "tags" in self.requested_fields(self.model):
            queryset = queryset.prefetch_related("tags")
        return queryset


class PublicImagesAPIViewSet(ReadOnlyAPIMixin, ImagesAPIViewSet):
    """Images live public pages use (and public logos), outside private collections, each
    with a share-sized rendition on request."""

    base_serializer_class = ImageSerializer
    body_fields = [
        *ImagesAPIViewSet.body_fields,
        APIField("share_image", serializer=ImageRenditionField(SOCIAL_IMAGE_SPEC, source="*")),
    ]

    def get_queryset(self):
        queryset = used_publicly(super().get_queryset(), self.request, logos=True)
        wanted = self.requested_fields(self.model)
        if "share_image" in wanted:
            queryset = queryset.prefetch_renditions(SOCIAL_IMAGE_SPEC)
        if "tags" in wanted:
            queryset = queryset.prefetch_related("tags")
        return queryset


class MembersAPIViewSet(ReadOnlyAPIMixin, BaseAPIViewSet):
    """Active full and associate members: the public directory. Affiliates (who can be
    individuals) and supporters are never listed, so they are not here either."""

    name = "members"
    model = MemberCouncil
    body_fields = [
        "id",
        "name",
        "slug",
        "tier",
        "kind",
        "nation",
        "region",
        "website",
        APIField("logo", serializer=ImageRenditionField(LOGO_SPEC)),
        "population",
        "annual_budget",
        "political_control",
        "political_control_as_of",
        "joined_year",
        "gss_code",
        "profile",
        APIField("commitments", serializer=TitleListField()),
    ]
    meta_fields = [*BaseAPIViewSet.meta_fields, APIField("html_url", MemberProfileURLField())]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "html_url",
        "name",
        "slug",
        "tier",
        "kind",
        "nation",
        "region",
    ]
    nested_default_fields = [*BaseAPIViewSet.nested_default_fields, "name"]
    # Only these tiers are listed; asking for affiliates or supporters is a clear 400.
    filter_choices = {"tier": [str(tier) for tier in LISTED_TIERS]}

    def get_queryset(self):
        queryset = MemberCouncil.objects.listed().order_by("name")
        wanted = self.requested_fields(self.model)
        if "logo" in wanted:
            images = get_image_model().objects.prefetch_renditions(LOGO_SPEC)
            queryset = queryset.prefetch_related(Prefetch("logo", queryset=images))
        if "commitments" in wanted:
            queryset = queryset.prefetch_related("commitments")
        return queryset

    @classmethod
    def get_body_fields(cls, model):
        # Snippets carry no api_fields of their own; the list above is the whole contract.
        return cls._convert_api_fields(cls.body_fields)


class SuppliersAPIViewSet(ReadOnlyAPIMixin, BaseAPIViewSet):
    """Active suppliers on the Dynamic Purchasing System."""

    name = "suppliers"
    model = DPSSupplier
    body_fields = [
        "id",
        "name",
        "slug",
        "website",
        APIField("logo", serializer=ImageRenditionField(LOGO_SPEC)),
        "summary",
        APIField("specialisms", serializer=TagNamesField()),
        "framework_start",
        "framework_end",
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "slug",
        "website",
        "summary",
        "specialisms",
    ]
    nested_default_fields = [*BaseAPIViewSet.nested_default_fields, "name"]

    def get_queryset(self):
        queryset = DPSSupplier.objects.active()
        wanted = self.requested_fields(self.model)
        if "logo" in wanted:
            images = get_image_model().objects.prefetch_renditions(LOGO_SPEC)
            queryset = queryset.prefetch_related(Prefetch("logo", queryset=images))
        if "specialisms" in wanted:
            queryset = queryset.prefetch_related("specialisms")
        return queryset

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields)


class RowList:
    """Rows already in memory as Wagtail's paginator reads them (``count()``, one slice)."""

    def __init__(self, items: list):
        self.items = items

    def count(self) -> int:
        return len(self.items)

    def __getitem__(self, window):
        return self.items[window]


class ElectionItems:
    """Stands in for a serializer: the items are the rows of ``membership.election_data``,
    the same rows as the elections page's tables and downloads."""

    def __init__(self, data: list[dict]):
        self.data = data


class ElectionDataAPIViewSet(ReadOnlyAPIMixin, BaseAPIViewSet):
    """One of the election tables (``dataset``), read-only: the rows of the elections page,
    filtered as the page filters them (and by year and council), with their source and the
    date the data runs to in ``meta``. Columns: docs/election-data.md."""

    dataset = ""
    filter_backends: list = []
    known_query_parameters = frozenset(["limit", "offset", "order", "format", "_"])

    def get_queryset(self):
        return shown_records(self.dataset).select_related("member").order_by("id")

    def check_query_parameters(self, queryset):
        allowed = self.known_query_parameters | set(API_FILTERS[self.dataset])
        unknown = set(self.request.GET) - allowed
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised filter: "
                f"{', '.join(sorted(name[:50] for name in unknown))}. "
                f"Filters here: {', '.join(API_FILTERS[self.dataset])}"
            )

    def filter_queryset(self, queryset):
        try:
            records, self.applied_filters = api_records(self.dataset, self.request.GET)
        except BadFilter as error:
            raise BadRequestError(str(error)) from error
        return records if isinstance(records, models.QuerySet) else RowList(records)

    def get_serializer(self, records, many=False):
        rows = ROW_BUILDERS[self.dataset](records if many else [records], self.profile_base)
        items = [self.item(row) for row in rows]
        return ElectionItems(items if many else items[0])

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["meta"].update(self.about(self.applied_filters))
        return response

    def detail_view(self, request, pk):
        record = self.get_queryset().filter(pk=pk).first()
        if record is None:
            raise Http404("not found")
        data = self.get_serializer(record).data
        return Response({**data, "meta": {**data["meta"], **self.about({})}})

    @cached_property
    def profile_base(self) -> str:
        directory = first_live(MemberDirectoryPage)
        return (directory.get_full_url(self.request) or "") if directory else ""

    @cached_property
    def elections_page(self) -> ElectionOutcomesPage | None:
        return first_live(ElectionOutcomesPage)

    def about(self, applied: dict[str, str]) -> dict:
        """The source, the date the data runs to, the filters applied and where the page and
        its downloads are."""
        page = self.elections_page
        page_url = (page.get_full_url(self.request) or "") if page else ""
        day = as_of()
        meta = {
            "source": sources(page, page_url)[self.dataset].as_dict(),
            "as_of": day.isoformat() if day else None,
            "filters": applied,
            "html_url": f"{page_url}#{HTML_ANCHORS[self.dataset]}" if page_url else None,
        }
        if page_url:
            meta["download_urls"] = {fmt: f"{page_url}{self.dataset}/{fmt}/" for fmt in FORMATS}
        return meta

    def item(self, row) -> dict:
        """A row as an API item: its values, its ``meta`` and its member council's links."""
        router = self.request.wagtailapi_router
        values = row.values
        member = None
        if values["member_id"] is not None:
            member = {
                "id": values["member_id"],
                "name": row.record.member.name,
                "detail_url": get_object_detail_url(
                    router, self.request, MemberCouncil, values["member_id"]
                ),
                "html_url": values["profile_url"] or None,
            }
        detail_url = get_object_detail_url(router, self.request, type(row.record), values["id"])
        return {
            "id": values["id"],
            "meta": {"type": f"membership.{type(row.record).__name__}", "detail_url": detail_url},
            **{key: value for key, value in values.items() if key != "id"},
            "member": member,
        }


class ElectionResultsAPIViewSet(ElectionDataAPIViewSet):
    """Each member council's election result (``/api/v2/elections/results/``)."""

    endpoint_name = "elections/results"  # DRF's as_view() clears `name`
    model = ElectionResult
    dataset = RESULTS


class ControlChangesAPIViewSet(ElectionDataAPIViewSet):
    """Changes in who controls councils since the elections."""

    endpoint_name = "elections/control-changes"
    model = ControlChange
    dataset = CONTROL_CHANGES


class CouncillorChangesAPIViewSet(ElectionDataAPIViewSet):
    """Councillors who changed party, left or joined since the elections."""

    endpoint_name = "elections/councillor-changes"
    model = CouncillorChange
    dataset = COUNCILLOR_CHANGES


class ElectionDataIndexAPIViewSet(ElectionDataAPIViewSet):
    """``/api/v2/elections/``: the three tables, each with its address, filters, orders,
    source, downloads and columns (the schema), and the date the data runs to."""

    endpoint_name = "elections"
    # Wagtail's router finds an endpoint by model; this one is registered after the tables,
    # so ElectionResult's own endpoint is found first.
    model = ElectionResult
    known_query_parameters = frozenset(["format", "_"])
    dataset = RESULTS

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised filter: "
                f"{', '.join(sorted(name[:50] for name in unknown))}"
            )

    def listing_view(self, request):
        self.check_query_parameters(None)
        items = []
        for endpoint in ELECTION_ENDPOINTS:
            self.dataset = endpoint.dataset
            about = self.about({})
            dataset = DATASETS[endpoint.dataset]
            items.append(
                {
                    "name": endpoint.dataset,
                    "title": dataset.title,
                    "listing_url": get_full_url(
                        request, reverse(f"wagtailapi:{endpoint.endpoint_name}:listing")
                    ),
                    "filters": list(API_FILTERS[endpoint.dataset]),
                    "order": sorted(API_ORDER[endpoint.dataset]),
                    "source": about["source"],
                    "html_url": about["html_url"],
                    "download_urls": about.get("download_urls"),
                    "columns": schema(dataset),
                }
            )
        day = as_of()
        meta = {"total_count": len(items), "as_of": day.isoformat() if day else None}
        return Response({"meta": meta, "items": items})

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


# Where each table is on the elections page.
HTML_ANCHORS = {
    RESULTS: "results",
    CONTROL_CHANGES: "control-changes",
    COUNCILLOR_CHANGES: "councillor-changes",
}

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("members", MembersAPIViewSet)
api_router.register_endpoint("suppliers", SuppliersAPIViewSet)
ELECTION_ENDPOINTS = (
    ElectionResultsAPIViewSet,
    ControlChangesAPIViewSet,
    CouncillorChangesAPIViewSet,
)
for endpoint in ELECTION_ENDPOINTS:
    api_router.register_endpoint(endpoint.endpoint_name, endpoint)
api_router.register_endpoint(ElectionDataIndexAPIViewSet.endpoint_name, ElectionDataIndexAPIViewSet)
