"""The sensitive-word filter: hold and block, variants caught, fast with a large list."""

import pytest

from community.models import SensitiveWord
from community.safety import wordfilter


@pytest.fixture
def words(db, on_commit):
    with on_commit():
        SensitiveWord.objects.create(word="代开发票", action="BLOCK")
        SensitiveWord.objects.create(word="微信", action="HOLD")
        SensitiveWord.objects.create(word="刷单", action="HOLD")
        SensitiveWord.objects.create(word="VPN", action="BLOCK")


def test_clean_text_passes(words):
    assert wordfilter.check("周末一起去南山露营吧") == wordfilter.Verdict(None)


def test_hold_and_block(words):
    held = wordfilter.check("加我微信聊")
    assert held.action == "HOLD" and held.words == ("微信",)
    blocked = wordfilter.check("专业代开发票，也可以加微信")
    assert blocked.action == "BLOCK" and blocked.words == ("代开发票", "微信")


@pytest.mark.parametrize(
    "text",
    [
        "代開發票",  # traditional characters
        "ｖｐｎ翻墙",  # full-width letters, any case
        "代 开-发·票",  # separators between the characters
    ],
)
def test_variants_are_caught(words, text):
    assert wordfilter.check(text).blocked


def test_the_strongest_verdict_over_several_texts(words):
    assert wordfilter.check("标题没问题", None, "正文有刷单").held
    assert wordfilter.check("刷单", "vpn").blocked


def test_editing_the_list_takes_effect_at_once(db, on_commit):
    assert wordfilter.check("带货") == wordfilter.Verdict(None)
    with on_commit():
        word = SensitiveWord.objects.create(word="带货", action="HOLD")
    assert wordfilter.check("直播带货").held
    with on_commit():
        word.delete()
    assert wordfilter.check("直播带货") == wordfilter.Verdict(None)


def test_words_are_stored_normalised_and_unique(db):
    word = SensitiveWord.objects.create(word=" 車友ＶＰＮ ", action="BLOCK")
    assert (word.word, word.normalized) == ("車友ＶＰＮ", "车友vpn")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SensitiveWord.objects.create(word="车友vpn", action="HOLD")


def test_ten_thousand_words_load_and_match(db, on_commit):
    from community.safety import services as safety_services

    lines = [f"敏感词{i:05d}" for i in range(10_000)]
    with on_commit():
        added = safety_services.import_sensitive_words(lines, action="HOLD")
    assert added == 10_000
    assert wordfilter.matcher().size == 10_000
    assert wordfilter.check("这里有敏感词09999和别的").words == ("敏感词09999",)
    assert wordfilter.check("这里什么都没有").action is None
    with on_commit():
        assert safety_services.import_sensitive_words([*lines[:10], "新词"], action="BLOCK") == 1


def test_brand_staff_import_a_word_list_in_admin(db, brand_staff, on_commit):
    from django.test import Client

    browser = Client()
    browser.force_login(brand_staff)
    assert browser.get("/admin/community/sensitiveword/import/").status_code == 200
    with on_commit():
        response = browser.post(
            "/admin/community/sensitiveword/import/", {"words": "刷单\n代开发票\n\n刷单", "action": "BLOCK"}
        )
    assert response.status_code == 302
    assert set(SensitiveWord.objects.values_list("word", flat=True)) == {"刷单", "代开发票"}
    assert wordfilter.check("帮你刷單").blocked
