"""Course models: pages, learning records, completions and certificates."""

from courses.models.learning import (
    CheckAnswer,
    Completion,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ModuleProgress,
    Reflection,
    SectionView,
)
from courses.models.pages import CourseIndexPage, CoursePage, ModulePage
from courses.models.plans import ActionPlan
from courses.models.records import (
    Certificate,
    RefresherNotice,
    RefresherNoticeKind,
    RequiredLearning,
)

__all__ = [
    "ActionPlan",
    "Certificate",
    "CheckAnswer",
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "ModulePage",
    "ModuleProgress",
    "Reflection",
    "RefresherNotice",
    "RefresherNoticeKind",
    "RequiredLearning",
    "SectionView",
]
