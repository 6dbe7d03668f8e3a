import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from pages.media import IMPORTED_COLLECTION, MediaFileError, imported_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(tmp_path):
    root = tmp_path / "media"
    (root / "scenes").mkdir(parents=True)
    PILImage.new("RGB", (4, 3), "red").save(root / "scenes" / "phone.png")
    return root


def test_an_image_is_created_once_in_the_imported_content_collection(media_root):
    first = imported_image(file="scenes/phone.png", media_root=media_root)
    again = imported_image(file="scenes/phone.png", media_root=media_root)

    assert again.pk == first.pk
    assert first.title == "scenes/phone.png"
    assert first.collection.name == IMPORTED_COLLECTION
    assert Collection.objects.filter(name=IMPORTED_COLLECTION).count() == 1


def test_an_image_uploaded_by_hand_with_the_same_title_is_never_taken(media_root):
    Image = get_image_model()
    by_hand = Image.objects.create(title="scenes/phone.png", file=get_test_image_file())

    image = imported_image(file="scenes/phone.png", media_root=media_root)

    assert image.pk != by_hand.pk
    assert Image.objects.filter(title="scenes/phone.png").count() == 2


@pytest.mark.parametrize("file", ["scenes/gone.png", "../outside.png", "scenes"])
def test_a_missing_file_or_one_outside_the_media_folder_is_refused(media_root, file):
    (media_root.parent / "outside.png").write_bytes(b"not for import")

    with pytest.raises(MediaFileError, match="is not in"):
        imported_image(file=file, media_root=media_root)
    assert not get_image_model().objects.exists()
