import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cqtt.dossiers.uploads import check_upload, safe_name

from .conftest import PDF_BYTES, jpeg_bytes, png_bytes


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_pdf_png_and_jpeg_are_recognised_from_their_content():
    assert check_upload(upload("a.pdf", PDF_BYTES)) == "application/pdf"
    assert check_upload(upload("a.png", png_bytes())) == "image/png"
    assert check_upload(upload("a.jpg", jpeg_bytes())) == "image/jpeg"


def test_a_pdf_renamed_png_is_taken_for_the_pdf_it_is():
    file = upload("anh-chup.png", PDF_BYTES, content_type="image/png")
    assert check_upload(file) == "application/pdf"
    assert safe_name(file.name, "application/pdf") == "anh-chup.pdf"
    assert file.read(5) == b"%PDF-"  # left at the start for storage


def test_a_text_file_named_pdf_is_refused_naming_the_document():
    file = upload("to-khai.pdf", b"Day khong phai PDF\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        check_upload(file, label="Tờ khai đăng ký khai sinh")
    assert error.value.code == "bad_type"
    assert "Tờ khai đăng ký khai sinh" in error.value.messages[0]
    assert "PDF" in error.value.messages[0]


def test_an_oversized_file_is_refused(settings):
    settings.DOSSIERS = {**settings.DOSSIERS, "UPLOAD_MAX_BYTES": 1024}
    file = upload("big.pdf", PDF_BYTES + b"0" * 2000)
    with pytest.raises(ValidationError) as error:
        check_upload(file, label="Giấy chứng sinh")
    assert error.value.code == "too_big"
    assert "Giấy chứng sinh" in error.value.messages[0]


def test_the_default_limit_is_the_setting_of_ten_megabytes():
    file = upload("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="tối đa 10 MB"):
        check_upload(file, label="Giấy chứng sinh")


def test_a_fake_jpeg_that_pillow_cannot_verify_is_refused():
    file = upload("anh.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20, content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        check_upload(file, label="Giấy chứng sinh")
    assert error.value.code == "broken_image"


def test_a_truncated_png_is_refused():
    file = upload("anh.png", png_bytes()[:30])
    with pytest.raises(ValidationError) as error:
        check_upload(file)
    assert error.value.code == "broken_image"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("rong.pdf", b""))
    assert error.value.code == "empty"


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        ("../../etc/passwd.png", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Ảnh CCCD.jpeg", "image/jpeg", "Ảnh CCCD.jpg"),
        ("???.pdf", "application/pdf", "tep.pdf"),
        ("x" * 200 + ".png", "image/png", "x" * 70 + ".png"),
    ],
)
def test_stored_names_are_plain_and_carry_the_sniffed_extension(original, content_type, expected):
    assert safe_name(original, content_type) == expected
