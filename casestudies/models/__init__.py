"""Case studies, policy labs and prototypes, publications, and the themes they share."""

from .case_studies import (
    CaseStudyPage,
    CaseStudyRelatedPage,
    CaseStudyStatus,
    CaseStudyTag,
)
from .library import CaseStudyIndexPage
from .policy import PolicyLabsIndexPage, PolicyProjectPage, ProjectStatus, ProjectType
from .publications import PublicationIndexPage, PublicationPage
from .snippets import Theme
from .submissions import CaseStudySubmission

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CaseStudyRelatedPage",
    "CaseStudyStatus",
    "CaseStudySubmission",
    "CaseStudyTag",
    "PolicyLabsIndexPage",
    "PolicyProjectPage",
    "ProjectStatus",
    "ProjectType",
    "PublicationIndexPage",
    "PublicationPage",
    "Theme",
]
