"""The content store: every revision of every article (and of ``categories.yml``,
``synonyms.txt`` and ``userdict.txt``) in the database, the one truth all workers and hosts
share. The Markdown folder is how content comes in (``import_folder``, and ``import_if_empty``
at an app's first start) and goes out (``export_folder``).

Modules: ``models`` (tables and the content clock), ``checks`` (the loader's parse and lint
applied to a revision), ``store`` (one function per editor action), ``calendar`` (scheduled
publishing, review dates), ``folder`` (import and export with conflict detection) and
``published`` (what a worker serves, followed cheaply), ``listing`` (the desk's list),
``translation`` (starting the other locale's article), ``questions`` (adding an accepted
learned phrasing) and ``images`` (the screenshots articles show, content-addressed).
The errors live in ``kb.errors``.
"""

from kb.content.calendar import Due, due_for_review, publish_due, schedule
from kb.content.folder import (
    Conflict,
    ExportReport,
    ImportReport,
    export_folder,
    import_folder,
    import_if_empty,
)
from kb.content.images import StoredImage, read_image, save_image
from kb.content.listing import TRANSLATION_BEHIND, TRANSLATION_MISSING, Entry, list_articles
from kb.content.models import FILE_NAMES, ItemStatus
from kb.content.published import Change, PublishedContent
from kb.content.questions import QuestionAdded, add_question
from kb.content.store import (
    ArticleState,
    RevisionInfo,
    Saved,
    archive,
    content_version,
    create_draft,
    diff,
    history,
    publish,
    read_article,
    redirect_for,
    rename,
    restore,
    save_draft,
    save_file,
)
from kb.content.translation import start_translation
from kb.errors import (
    ArticleExists,
    ArticleNotFound,
    ContentError,
    InvalidArticle,
    InvalidImage,
    StaleRevision,
)

__all__ = [
    "FILE_NAMES",
    "TRANSLATION_BEHIND",
    "TRANSLATION_MISSING",
    "ArticleExists",
    "ArticleNotFound",
    "ArticleState",
    "Change",
    "Conflict",
    "Due",
    "Entry",
    "ContentError",
    "ExportReport",
    "ImportReport",
    "InvalidArticle",
    "InvalidImage",
    "ItemStatus",
    "PublishedContent",
    "QuestionAdded",
    "RevisionInfo",
    "Saved",
    "StaleRevision",
    "StoredImage",
    "add_question",
    "archive",
    "content_version",
    "create_draft",
    "diff",
    "due_for_review",
    "export_folder",
    "history",
    "import_folder",
    "import_if_empty",
    "list_articles",
    "publish",
    "publish_due",
    "read_article",
    "read_image",
    "redirect_for",
    "rename",
    "restore",
    "save_draft",
    "save_file",
    "save_image",
    "schedule",
    "start_translation",
]
