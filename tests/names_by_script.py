"""A name in each script the badges draw, for the shaping and text tests."""

NAMES = {
    "latin": "Société Générale AVATAR",
    "greek": "Ἀθῆναι Παπαδόπουλος",
    "cyrillic": "Москва Иванов",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "arabic": "محمد بن سلمان",
    "persian": "می\u200cخواهم فارسی",
    "hebrew": "שלום עולם",
    "devanagari": "क्षत्रिय द्विवेदी",
    "japanese": "山田太郎 やまだ タロウ",
    "chinese": "张伟 北京",
    "korean": "김민준 서울",
    "tamil": "தமிழ்நாடு",
    "thai": "สมชาย",
    "georgian": "თბილისი",
}
