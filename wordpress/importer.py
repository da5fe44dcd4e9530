"""Import a WordPress export: files first, then pages, then their bodies, then redirects.

One run is one database transaction: a failure part-way leaves nothing behind (files written
to storage by the failed run are deleted again). A dry run is the same run rolled back at the
end, with files measured but not written, so its report is exactly what the import will do.

Each item is remembered (`ImportedItem`) with a hash of what was imported and the revision
the import wrote. Re-importing the same export changes nothing; a newer export updates what
changed, except where an editor has saved the page since (a conflict: reported, left alone).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from caching.versions import one_bump
from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    PolicyLabsIndexPage,
    PolicyProjectPage,
    PublicationIndexPage,
    PublicationPage,
    Theme,
)
from casestudies.models.case_studies import FIRST_YEAR
from home.models import HomePage, StandardPage
from membership.models import MemberCouncil
from news.models import (
    MembersUpdateIndexPage,
    MembersUpdatePage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageAuthor,
)
from news.models.newsletter import RESERVED_SLUGS

from . import mapping
from .addresses import site_path
from .content import convert, plain_text
from .indexing import deferred_indexing
from .models import ImportedItem
from .publishing import History, publish_created_page
from .redirects import add_redirects
from .uploads import Uploads, original_of, relative_upload_path
from .wxr import Export, Item

COLLECTION_NAME = "Imported from WordPress"
IMAGE_TYPES = {f".{ext}" for ext in settings.WAGTAILIMAGES_EXTENSIONS}
DOCUMENT_TYPES = {f".{ext}" for ext in settings.WAGTAILDOCS_EXTENSIONS}


class DryRun(Exception):
    """Raised to roll a dry run back."""


@dataclass
class Action:
    """One line of the report: what happened (or will) to one item of the export."""

    wp_id: int
    post_type: str
    title: str
    old_url: str
    verb: str  # created, updated, unchanged, conflict, skipped
    target: str = ""
    new_url: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    source: str
    dry_run: bool
    publish: bool
    actions: list[Action] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the file, not one item
    export_counts: dict[str, int] = field(default_factory=dict)
    redirects_created: int = 0
    redirects_kept: int = 0
    failed: str = ""
    # Items an earlier import brought in that this export no longer has (deleted on the old
    # site since, or a partial export): left as they are, listed so editors can decide.
    absent: list[dict] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(action.verb for action in self.actions)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + sum(len(action.problems) for action in self.actions)

    def summary(self) -> str:
        counts = self.counts()
        return (
            f"Created {counts['created']}, updated {counts['updated']}, "
            f"unchanged {counts['unchanged']}, conflicts {counts['conflict']}, "
            f"skipped {counts['skipped']}, problems {self.problem_count}, "
            f"redirects added {self.redirects_created}."
        ) + (
            f" {len(self.absent)} imported earlier, not in this export: left as they are."
            if self.absent
            else ""
        )

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "publish": self.publish,
            "failed": self.failed,
            "summary": self.summary(),
            "counts": dict(self.counts()),
            "export_counts": self.export_counts,
            "redirects_created": self.redirects_created,
            "redirects_kept": self.redirects_kept,
            "problems": self.problems,
            "actions": [action.__dict__ for action in self.actions],
            "absent": self.absent,
        }

    def lines(self) -> list[str]:
        lines = [f"WordPress export from {self.source}"]
        lines += [f"  problem: {problem}" for problem in self.problems]
        for action in self.actions:
            where = f" -> {action.new_url}" if action.new_url else ""
            lines.append(
                f"{action.verb:>9}  {action.post_type} {action.wp_id} "
                f"{action.title!r} ({action.target}){where}"
            )
            lines += [f"           problem: {problem}" for problem in action.problems]
        for gone in self.absent:
            lines.append(
                f"   absent  {gone['post_type']} {gone['wp_id']} {gone['title']!r} "
                f"(imported earlier, not in this export; left as it is) -> {gone['new_url']}"
            )
        if self.failed:
            lines.append(f"FAILED, nothing was imported: {self.failed}")
        lines.append(self.summary())
        return lines


def item_hash(item: Item, extra: bytes = b"") -> str:
    data = {
        "title": item.title,
        "slug": item.slug,
        "status": item.status,
        "date": item.date.isoformat() if item.date else None,
        "content": item.content,
        "excerpt": item.excerpt,
        "parent": item.parent_id,
        "order": item.menu_order,
        "author": item.author,
        "terms": [[t.taxonomy, t.slug, t.name] for t in item.terms],
        "meta": {k: v for k, v in item.meta.items() if not k.startswith("_edit_")},
        "attachment": item.attachment_url,
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode())
    digest.update(extra)
    return digest.hexdigest()


def issue_date(item: Item) -> date | None:
    """The day (UK time) a newsletter went out: its post date, else its last modified date."""
    when = item.date or item.modified
    return timezone.localtime(when).date() if when is not None else None


class Importer:
    def __init__(
        self,
        export: Export,
        uploads: Uploads | None = None,
        *,
        publish: bool = False,
        user=None,
        run=None,
        dry_run: bool = False,
    ) -> None:
        self.export = export
        self.uploads = uploads or Uploads.empty()
        self.publish = publish
        self.user = user
        self.run = run
        self.dry_run = dry_run
        self.source = export.site_url or export.blog_url or "unknown"
        self.report = Report(self.source, dry_run, publish)
        self.report.problems = [self._problem_text(p) for p in export.problems]
        self.report.export_counts = dict(Counter(item.post_type for item in export.items))
        self.known = {
            imported.wp_id: imported
            for imported in ImportedItem.objects.filter(source=self.source).select_related(
                "page", "revision"
            )
        }
        self.items = {item.wp_id: item for item in export.items}
        self.images: dict[int, int] = {}  # wp id -> image pk
        self.documents: dict[int, int] = {}  # wp id -> document pk
        self.image_paths: dict[str, int] = {}  # upload path -> image pk
        self.document_paths: dict[str, int] = {}
        self.pages: dict[int, Page] = {}  # wp id -> page (imported now or before)
        self.page_paths: dict[str, int] = {}  # old path -> page pk
        self.written_files: list = []
        self.image_alts: dict[int, str] = {}  # image pk -> WordPress alt text
        self.pending_hash: dict[int, str] = {}  # wp id -> hash to remember once written
        self.remembered: dict[int, dict] = {}  # wp id -> ImportedItem fields, written at the end
        self.created: set[int] = set()  # wp ids whose page this run created
        self.history = History()  # page log entries, written at the end

    # Entry point -------------------------------------------------------------------------

    def run_import(self) -> Report:
        try:
            with transaction.atomic():
                with one_bump(), deferred_indexing(run=not self.dry_run):
                    self._import_all()
                if self.dry_run:
                    raise DryRun
        except DryRun:
            pass
        except Exception as error:  # the report says why; nothing is kept
            self._delete_written_files()
            self.report.failed = f"{type(error).__name__}: {error}"
            if settings.DEBUG or getattr(settings, "WORDPRESS_IMPORT_RAISE", False):
                raise
        return self.report

    def _import_all(self) -> None:
        self.site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        self.home = self.site.root_page.specific if self.site else None
        if self.home is None:
            raise ValueError("This site has no home page to import into.")
        self.indexes = {
            "case_study": CaseStudyIndexPage.objects.descendant_of(self.home).first(),
            "project": PolicyLabsIndexPage.objects.descendant_of(self.home).first(),
            "publication": PublicationIndexPage.objects.descendant_of(self.home).first(),
            "news": NewsIndexPage.objects.descendant_of(self.home).first(),
            "members_update": MembersUpdateIndexPage.objects.descendant_of(self.home).first(),
        }
        self.collection = self._collection()
        self.members = list(MemberCouncil.objects.only("pk", "name", "slug", "nation"))
        self.member_keys = {
            member.pk: (mapping.name_key(member.name), mapping.stem_key(member.name))
            for member in self.members
        }
        self.categories = {c.slug: c for c in NewsCategory.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}

        actions: dict[int, Action] = {}
        content_items: list[Item] = []
        for item in self.export.items:
            target = mapping.target_for(item)
            if item.post_type in mapping.NOT_CONTENT:
                continue
            action = Action(
                item.wp_id,
                item.post_type,
                item.title,
                item.link,
                "skipped",
                target.label if target else "",
            )
            actions[item.wp_id] = action
            self.report.actions.append(action)
            if target is None:
                action.problems.append(
                    f"WordPress post type “{item.post_type}” has no match on this site."
                )
            elif item.status in mapping.NOT_IMPORTED_STATUSES:
                action.problems.append(f"Not imported: its status is “{item.status}”.")
            elif target is mapping.ATTACHMENT:
                self._attachment(item, action)
            else:
                content_items.append(item)

        # Pages exist (with their addresses) before any body is converted, so links between
        # imported items become page links. Parents before children.
        ordered = sorted(content_items, key=lambda item: self._depth(item))
        fresh: list[Item] = []
        for item in ordered:
            if self._place(item, actions[item.wp_id]):
                fresh.append(item)
        for item in fresh:
            self._fill(item, actions[item.wp_id])
        self.history.write()
        self._write_memory()
        self._redirects()
        self.report.absent = self._absent()

    def _absent(self) -> list[dict]:
        """What earlier imports brought in from this site that this export does not name."""
        absent = []
        for wp_id, row in sorted(self.known.items()):
            if wp_id in self.items:
                continue
            page = row.page if row.page_id else None
            if page is not None:
                title, new_url = page.title, page.url or ""
            elif row.image_id or row.document_id:
                title, new_url = row.file_path, ""
            else:
                continue  # nothing of it is on this site
            absent.append(
                {
                    "wp_id": wp_id,
                    "post_type": row.post_type,
                    "title": title,
                    "old_url": row.old_url,
                    "new_url": new_url,
                    "live": bool(page and page.live),
                }
            )
        return absent

    # Attachments -------------------------------------------------------------------------

    def _attachment(self, item: Item, action: Action) -> None:
        relative = relative_upload_path(item.attachment_url) or item.meta.get(
            "_wp_attached_file", ""
        )
        relative = relative_upload_path("uploads/" + relative) if relative else ""
        suffix = PurePosixPath(relative).suffix.lower()
        known = self.known.get(item.wp_id)
        data = self.uploads.read(relative) if relative else None
        if data is None:
            if known and (known.image_id or known.document_id):
                action.verb = "unchanged"
                self._remember_file(item, known.image_id, known.document_id, relative)
                return
            action.problems.append(
                f"The file {relative or item.attachment_url or '(no address)'} is not in the "
                "uploads; import it again with the uploads folder or zip."
            )
            return
        digest = item_hash(item, hashlib.sha256(data).digest())
        if known and known.content_hash == digest and (known.image_id or known.document_id):
            action.verb = "unchanged"
            self._remember_file(item, known.image_id, known.document_id, relative)
            return
        title = (item.title or PurePosixPath(relative).stem)[:255]
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()
        if suffix in IMAGE_TYPES:
            image = self._save_image(item, known, relative, data, title, action)
            if image is None:
                return
            action.target = "image"
            self._remember_file(item, image.pk, None, relative)
            self.image_alts[image.pk] = alt
            obj = {"image": image}
        elif suffix in DOCUMENT_TYPES:
            document = self._save_document(known, relative, data, title)
            action.target = "document"
            self._remember_file(item, None, document.pk, relative)
            obj = {"document": document}
        else:
            action.problems.append(
                f"{PurePosixPath(relative).name}: files of type {suffix or '(none)'} are not "
                "accepted on this site."
            )
            return
        action.verb = "updated" if known else "created"
        self._remember(item, digest, relative=relative, **obj)

    def _save_image(self, item, known, relative, data, title, action):
        try:
            with PILImage.open(BytesIO(data)) as picture:
                width, height = picture.size
                picture.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            action.problems.append(f"{relative} is not an image that opens; it was skipped.")
            return None
        Image = get_image_model()
        image = Image.objects.filter(pk=known.image_id).first() if known else None
        name = PurePosixPath(relative).name
        if image is None:
            image = Image(title=title, collection=self.collection)
        image.title = title
        if self.dry_run:
            image.width, image.height = width, height
            image.file.name = f"original_images/{name}"
        else:
            image.file = ImageFile(BytesIO(data), name=name)
        image.file_size = len(data)
        image.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        image.save()
        if not self.dry_run:
            self.written_files.append(image.file)
        return image

    def _save_document(self, known, relative, data, title):
        Document = get_document_model()
        document = Document.objects.filter(pk=known.document_id).first() if known else None
        name = PurePosixPath(relative).name
        if document is None:
            document = Document(title=title, collection=self.collection)
        document.title = title
        if self.dry_run:
            document.file.name = f"documents/{name}"
        else:
            document.file = ContentFile(data, name=name)
        document.file_size = len(data)
        document.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        document.save()
        if not self.dry_run:
            self.written_files.append(document.file)
        return document

    def _remember_file(self, item, image_pk, document_pk, relative) -> None:
        if image_pk:
            self.images[item.wp_id] = image_pk
            if relative:
                self.image_paths[relative] = image_pk
        if document_pk:
            self.documents[item.wp_id] = document_pk
            if relative:
                self.document_paths[relative] = document_pk

    def _delete_written_files(self) -> None:
        for file in self.written_files:
            with contextlib.suppress(OSError):
                file.storage.delete(file.name)

    def _collection(self) -> Collection:
        root = Collection.get_first_root_node()
        found = root.get_children().filter(name=COLLECTION_NAME).first()
        return found or root.add_child(name=COLLECTION_NAME)

    # Pages: placing ----------------------------------------------------------------------

    def _depth(self, item: Item) -> int:
        depth, seen, parent = 0, set(), item.parent_id
        while parent and parent in self.items and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = self.items[parent].parent_id
        return depth

    def _place(self, item: Item, action: Action) -> bool:
        """Find or create the page for an item; True if its body is to be (re)written."""
        target = mapping.target_for(item)
        known = self.known.get(item.wp_id)
        digest = item_hash(item)
        old_path = site_path(item.link, self.source)
        if known is not None and known.page_id is None:
            action.verb = "skipped"
            action.problems.append(
                "Its page was deleted on this site after an earlier import; not recreated."
            )
            return False
        if known is not None and known.page is not None:
            page = known.page
            self._register_page(item, page, old_path)
            action.new_url = page.url or ""
            if target is mapping.MEMBERS_UPDATE and page.specific_class is not MembersUpdatePage:
                # Imported before newsletters had a type of their own: the page, its address
                # and its redirects stay; a second copy as an issue would duplicate it.
                action.verb = "skipped"
                action.target = page.specific_class._meta.verbose_name
                action.problems.append(
                    f"An earlier import made this newsletter a "
                    f"{page.specific_class._meta.verbose_name} ({page.url}); it is left as it "
                    "is, not imported again as a Members' Update issue. To have it as an issue, "
                    "add the issue in the Members' Update archive by hand and move its redirects."
                )
                return False
            if known.content_hash == digest:
                action.verb = "unchanged"
                return False
            if page.latest_revision_id != known.revision_id:
                action.verb = "conflict"
                action.problems.append(
                    "Changed in WordPress, but an editor has changed this page since it was "
                    "imported; the editor's version is kept."
                )
                return False
            action.verb = "updated"
            self.pending_hash[item.wp_id] = digest
            return True

        if target is mapping.PAGE:
            existing = self._existing_page_at(old_path)
            if existing is not None:
                action.verb = "skipped"
                action.target = existing.specific_class._meta.verbose_name
                action.new_url = existing.url or ""
                action.problems.append(
                    f"This site has its own page at {existing.url}; the WordPress page was not "
                    "imported over it."
                )
                self._register_page(item, existing, old_path)
                return False
        parent = self._parent_for(item, target, action)
        if parent is None:
            return False
        page = self._new_page(item, target)
        slug = self._slug(item)
        if target is mapping.MEMBERS_UPDATE and slug in RESERVED_SLUGS:
            slug = f"{slug}-issue"  # "feed" is the archive's own feed
        page.slug = find_available_slug(parent, slug)
        page.live = False
        page.has_unpublished_changes = True
        parent.add_child(instance=page)
        self.created.add(item.wp_id)
        self._register_page(item, page, old_path)
        action.verb = "created"
        action.new_url = page.url or ""
        self.pending_hash[item.wp_id] = digest
        return True

    def _slug(self, item: Item) -> str:
        slug = slugify(unquote(item.slug or ""), allow_unicode=True)
        return (slug or slugify(item.title, allow_unicode=True) or f"item-{item.wp_id}")[:200]

    def _existing_page_at(self, old_path: str) -> Page | None:
        if not old_path or "?" in old_path:
            return None
        path = old_path if old_path.endswith("/") else old_path + "/"
        url_path = self.home.url_path.rstrip("/") + path
        return Page.objects.filter(url_path=url_path).exclude(pk=self.home.pk).first()

    def _parent_for(self, item: Item, target, action: Action) -> Page | None:
        if target is mapping.PAGE:
            parent_page = self.pages.get(item.parent_id)
            if parent_page is not None:
                specific_class = parent_page.specific_class
                if specific_class in (HomePage, StandardPage):
                    return parent_page
            return self.home
        index = self.indexes.get(target.key)
        if index is None and target is mapping.MEMBERS_UPDATE:
            # Not made here: the archive's title, introduction and feed text are an editor's.
            action.problems.append(
                "This site has no Members' Update archive to hold this issue. Add one under "
                "the home page (Add child page → Members' Update archive), then import again."
            )
        elif index is None:
            action.problems.append(f"This site has no page to hold a {target.label}.")
        return index

    def _new_page(self, item: Item, target) -> Page:
        title = (item.title or f"Untitled {item.post_type} {item.wp_id}")[:255]
        model = {
            "case_study": CaseStudyPage,
            "project": PolicyProjectPage,
            "publication": PublicationPage,
            "members_update": MembersUpdatePage,
            "news": NewsPage,
            "page": StandardPage,
        }[target.key]
        page = model(title=title, draft_title=title)
        if item.date is not None:
            page.first_published_at = item.date
        if model is NewsPage:
            page.category = self._category(item)
        if model is PolicyProjectPage:
            page.round = str(item.date.year if item.date else 2026)
        if model is MembersUpdatePage:
            page.issue_date = issue_date(item) or timezone.localdate()
        return page

    def _register_page(self, item: Item, page: Page, old_path: str) -> None:
        self.pages[item.wp_id] = page
        for path in self._old_paths(item, old_path):
            self.page_paths[path] = page.pk

    def _old_paths(self, item: Item, old_path: str) -> list[str]:
        paths = []
        if old_path:
            paths.append(old_path)
            if "?" not in old_path:
                paths.append(old_path.rstrip("/") or "/")
        paths.append(f"/?p={item.wp_id}")
        if item.post_type == "page":
            paths.append(f"/?page_id={item.wp_id}")
        guid = site_path(item.guid, self.source)
        if guid and guid not in paths:
            paths.append(guid)
        return paths

    def _category(self, item: Item) -> NewsCategory:
        name, slug = mapping.news_category(item)
        slug = slugify(slug)[:80] or "news"
        category = self.categories.get(slug)
        if category is None:
            category = NewsCategory.objects.filter(name=name).first()
        if category is None:
            category = NewsCategory.objects.create(name=name[:80], slug=slug)
        self.categories[slug] = category
        return category

    # Pages: filling ----------------------------------------------------------------------

    def _fill(self, item: Item, action: Action) -> None:
        target = mapping.target_for(item)
        page = self.pages[item.wp_id].specific
        converted = convert(
            item.content, Resolver(self), site_url=self.source, seed=str(item.wp_id)
        )
        action.problems.extend(converted.problems)
        page.title = page.draft_title = (item.title or page.title)[:255]
        summary = plain_text(item.excerpt) if item.excerpt.strip() else converted.summary
        page.summary = summary[:400]
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail.isdigit():
            page.listing_image_id = self.images.get(int(thumbnail))
        page.body = converted.blocks
        if item.date is not None:
            page.first_published_at = item.date
        councils = self._councils(item)
        publish = self.publish and item.status == "publish"
        if target.key == "news":
            self._fill_news(page, item)
        elif target.key == "case_study":
            publish = self._fill_case_study(page, item, councils, action) and publish
        elif target.key == "project":
            page.lead_councils.set(councils[:1])
            page.partner_councils.set(councils[1:])
            page.round = str(item.date.year if item.date else page.round or 2026)
        elif target.key == "publication":
            self._fill_publication(page, item, councils)
        elif target.key == "members_update":
            publish = self._fill_members_update(page, item, action) and publish
        elif target.key == "page":
            page.intro = plain_text(item.excerpt, limit=1000) if item.excerpt.strip() else ""
        if item.status in mapping.DRAFT_STATUSES and self.publish:
            action.problems.append(
                f"Imported as a draft: it was “{item.status}” on the old site, not public."
            )
        # Published: the history says created, then published (an "edited" between says
        # nothing more and costs a log entry per page).
        if publish and item.wp_id in self.created and page.go_live_at is None:
            # One save, its log entry in bulk: Wagtail's two calls below, for a page this
            # transaction created (wordpress/publishing.py says why that is the same).
            revision = publish_created_page(page, user=self.user, history=self.history)
        else:
            revision = page.save_revision(user=self.user, log_action=not publish, clean=False)
            if publish:
                revision.publish(user=self.user, log_action=True)
                page.refresh_from_db(fields=["url_path", "live"])
        action.new_url = page.url or action.new_url
        self._remember(item, self.pending_hash[item.wp_id], page=page, revision=revision)

    def _fill_news(self, page: NewsPage, item: Item) -> None:
        page.kind = mapping.news_kind(item)
        page.category = self._category(item)
        page.release_date = item.date
        page.feed_guid = (item.guid or "")[:255]
        page.tags.set([name[:100] for name in mapping.tag_names(item)])
        author = self.export.authors.get(item.author)
        name = (author.display_name if author else item.author or "").strip()
        page.authors.clear()
        if name:
            page.authors.add(NewsPageAuthor(name=name[:120]))

    def _fill_case_study(self, page: CaseStudyPage, item: Item, councils, action) -> bool:
        page.lead_council_id = councils[0].pk if councils else None
        page.participating_councils.set(councils[1:])
        page.year = max(FIRST_YEAR, item.date.year) if item.date else page.year
        page.themes.set(self._themes(item))
        page.tags.set([name[:100] for name in mapping.tag_names(item)])
        if page.lead_council_id is None and not page.other_organisations.strip():
            page.other_organisations = mapping.council_named(f"{item.title}. {item.content}")
        if page.lead_council_id is None and not page.other_organisations.strip():
            action.problems.append(
                "No member council is named in it: choose the lead council (or name the lead "
                "organisation) before it is published. Imported as a draft."
            )
            return False
        return True

    def _fill_publication(self, page: PublicationPage, item: Item, councils) -> None:
        if item.date is not None:
            page.year, page.month = item.date.year, item.date.month
        page.partner_councils.set(councils)
        page.themes.set(self._themes(item))
        page.document_id = self._attached_document(item, page) or page.document_id

    def _fill_members_update(self, page: MembersUpdatePage, item: Item, action) -> bool:
        """Date, number and PDF of an issue; False if it must stay a draft (no date)."""
        dated = issue_date(item)
        page.issue_date = dated or page.issue_date or timezone.localdate()
        page.issue_number = mapping.issue_number(item)
        page.document_id = self._attached_document(item, page) or page.document_id
        if dated is None:
            action.problems.append(
                "It has no date in the export: set its issue date before it is published. "
                "Imported as a draft."
            )
            return False
        return True

    def _attached_document(self, item: Item, page: Page) -> int | None:
        """The document attached to the post in WordPress, else the first one its body links."""
        for child in self.export.items:
            if child.parent_id == item.wp_id and child.wp_id in self.documents:
                return self.documents[child.wp_id]
        for block in page.body.raw_data:
            if block["type"] == "document":
                return block["value"].get("document")
        return None

    def _themes(self, item: Item) -> list[Theme]:
        themes = []
        for term in mapping.theme_terms(item):
            if self._member_named(term.name):
                continue
            slug = slugify(term.slug or term.name)[:80]
            theme = self.themes.get(slug) or Theme.objects.filter(name=term.name).first()
            if theme is None:
                theme = Theme.objects.create(name=term.name[:80], slug=slug)
            self.themes[slug] = theme
            themes.append(theme)
        return themes

    def _member_named(self, text: str) -> MemberCouncil | None:
        key = mapping.name_key(text)
        for member in self.members:
            if key and key in self.member_keys[member.pk]:
                return member
        return None

    def _councils(self, item: Item) -> list[MemberCouncil]:
        """Members named by the item's terms or title (by name or stem), or by full name in
        its text; in that order, each once."""
        found: list[MemberCouncil] = []
        for term in item.terms:
            member = self._member_named(term.name)
            if member and member not in found:
                found.append(member)
        # Compared as `mapping.name_key`s, so "Kirklees: community energy", "Telford &amp;
        # Wrekin Council" and "Kirklees Council's" name their councils.
        title = f" {mapping.name_key(item.title)} "
        text = f" {mapping.name_key(item.content)} "
        for member in self.members:
            name, stem = self.member_keys[member.pk]
            if member in found:
                continue
            if (len(stem) >= 4 and f" {stem} " in title) or f" {name} " in title:
                found.append(member)
        for member in self.members:
            if member not in found and f" {self.member_keys[member.pk][0]} " in text:
                found.append(member)
        return found

    # Memory and redirects ----------------------------------------------------------------

    def _remember(self, item: Item, digest: str, *, relative: str = "", **objects) -> None:
        self.remembered[item.wp_id] = {
            "post_type": item.post_type,
            "old_url": item.link[:500],
            "file_path": relative[:500],
            "content_hash": digest,
            "run": self.run,
            **objects,
        }

    def _write_memory(self) -> None:
        """Write what `_remember` collected: new rows in bulk, known rows updated in bulk."""
        new, known = [], []
        now = timezone.now()
        for wp_id, fields in self.remembered.items():
            row = self.known.get(wp_id) or ImportedItem(source=self.source, wp_id=wp_id)
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            (known if row.pk else new).append(row)
        ImportedItem.objects.bulk_create(new, batch_size=500)
        names = {"updated_at", *(name for fields in self.remembered.values() for name in fields)}
        if known:
            ImportedItem.objects.bulk_update(known, sorted(names), batch_size=500)

    def _redirects(self) -> None:
        created, kept = add_redirects(self)
        self.report.redirects_created, self.report.redirects_kept = created, kept

    @staticmethod
    def _problem_text(problem) -> str:
        where = []
        if problem.wp_id is not None:
            where.append(f"item {problem.wp_id}")
        if problem.title:
            where.append(f"“{problem.title}”")
        if problem.line:
            where.append(f"line {problem.line}")
        return (", ".join(where) + ": " if where else "") + problem.message


class Resolver:
    """What content conversion asks of the import: this site's image, document or page for
    an old address."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer

    def image(self, url: str) -> int | None:
        relative = relative_upload_path(url)
        if not relative:
            return None
        paths = self.importer.image_paths
        return paths.get(relative) or paths.get(original_of(relative)) or self._known(relative)

    def image_by_wp_id(self, wp_id: int) -> int | None:
        return self.importer.images.get(wp_id)

    def document(self, url: str) -> int | None:
        relative = relative_upload_path(url)
        if not relative:
            return None
        return self.importer.document_paths.get(relative)

    def page(self, url: str) -> int | None:
        path = site_path(url, self.importer.source)
        if not path:
            return None
        paths = self.importer.page_paths
        found = paths.get(path) or paths.get(path.rstrip("/") or "/")
        if found is None and "?" not in path:
            existing = self.importer._existing_page_at(path)
            found = existing.pk if existing is not None else None
        return found

    def alt(self, image_id: int) -> str:
        if image_id not in self.importer.image_alts:
            image_id_alt = (
                ImportedItem.objects.filter(source=self.importer.source, image_id=image_id)
                .values_list("wp_id", flat=True)
                .first()
            )
            item = self.importer.items.get(image_id_alt) if image_id_alt else None
            self.importer.image_alts[image_id] = (
                item.meta.get("_wp_attachment_image_alt", "").strip() if item else ""
            )
        return self.importer.image_alts[image_id]

    def title(self, image_id: int) -> str:
        image = get_image_model().objects.filter(pk=image_id).only("title").first()
        return image.title if image else ""

    def _known(self, relative: str) -> int | None:
        original = original_of(relative)
        found = (
            ImportedItem.objects.filter(source=self.importer.source, file_path=original)
            .exclude(image=None)
            .values_list("image_id", flat=True)
            .first()
        )
        return found
