"""Images named by imported content files (courses and scenarios), kept in their own collection.

A Markdown module or scenario YAML names an image by its path under the content's media folder.
The image is created once, titled by that path, in the "Imported content" collection; a re-import
finds it there. An image with the same title elsewhere in the library (uploaded by hand, say) is
never taken for it, and a path that leads outside the media folder is refused.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection

IMPORTED_COLLECTION = "Imported content"


class MediaFileError(ValueError):
    """The named file is not inside the media folder."""


def imported_collection() -> Collection:
    """The collection imported images live in, created under the root on first use."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=IMPORTED_COLLECTION).first()
    return existing or root.add_child(instance=Collection(name=IMPORTED_COLLECTION))


@transaction.atomic
def imported_image(*, file: str, media_root: Path):
    """The Wagtail image for ``file`` (a path under ``media_root``), created once."""
    collection = imported_collection()
    image_model = get_image_model()
    image = image_model.objects.filter(collection=collection, title=file).first()
    if image is not None:
        return image
    root = Path(media_root).resolve()
    source = (root / file).resolve()
    if not source.is_relative_to(root) or not source.is_file():
        raise MediaFileError(f"{file!r} is not in {media_root}")
    if source.suffix.lower().lstrip(".") not in settings.WAGTAILIMAGES_EXTENSIONS:
        allowed = ", ".join(settings.WAGTAILIMAGES_EXTENSIONS)
        raise MediaFileError(f"{file!r}: images must be one of {allowed} (SVG can carry script)")
    with source.open("rb") as handle:
        image = image_model(
            title=file, collection=collection, file=ImageFile(handle, name=source.name)
        )
        image.save()
    return image
