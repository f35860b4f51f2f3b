"""The demo's people: logins, cities, names, car models and bios that `simulation.people` draws from."""

from __future__ import annotations

import random

from community.models import Vehicle

DEMO_PASSWORD = "oushang-demo-2026"
BRAND_USERNAME = "brand"
SUPERUSER_USERNAME = "admin"

CITIES = [
    "重庆",
    "成都",
    "北京",
    "上海",
    "广州",
    "深圳",
    "西安",
    "武汉",
    "杭州",
    "南京",
    "长沙",
    "郑州",
    "昆明",
    "贵阳",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "浩然",
    "子轩",
    "雨桐",
    "思远",
    "一鸣",
    "欣怡",
    "宇航",
]
STYLES = [
    "{surname}{given}",
    "{city}{surname}哥",
    "{model}车主{given}",
    "老{surname}爱自驾",
    "{surname}{given}的{model}",
    "{city}奔跑的{surname}",
    "周末去露营的{given}",
    "{model}·{given}",
]
MODELS = [
    ("欧尚X5 PLUS", Vehicle.Category.PASSENGER),
    ("欧尚X7 PLUS", Vehicle.Category.PASSENGER),
    ("欧尚Z6", Vehicle.Category.PASSENGER),
    ("欧尚Z6 iDD", Vehicle.Category.PASSENGER),
    ("欧尚X5", Vehicle.Category.PASSENGER),
    ("欧尚科赛5", Vehicle.Category.PASSENGER),
    ("欧尚COS1°", Vehicle.Category.PASSENGER),
    ("欧尚A800", Vehicle.Category.PASSENGER),
    ("欧尚X70A", Vehicle.Category.PASSENGER),
    ("长安星卡", Vehicle.Category.COMMERCIAL),
    ("长安跨越王", Vehicle.Category.COMMERCIAL),
    ("欧尚科尚", Vehicle.Category.COMMERCIAL),
]
BIOS = [
    "通过一台车认识一群人。",
    "周末带娃自驾，欢迎一起。",
    "跑过川藏线，想再去一次。",
    "喜欢洗车和改装，乐于分享经验。",
    "新手司机，请多指教。",
    "做水果生意，车友价优惠。",
    "摄影爱好者，活动跟拍找我。",
    "公益活动常客。",
    "",
]


def _nickname(rng: random.Random, city: str, model: str) -> str:
    style = rng.choice(STYLES)
    name = style.format(
        surname=rng.choice(SURNAMES), given=rng.choice(GIVEN), city=city, model=model.replace("欧尚", "")
    )
    return name[:30]
