"""What the demo's owners write: moments, articles, comments, the announcement and the words brand
staff keep out (used by `simulation.history`)."""

from __future__ import annotations

MOMENTS = [
    "今天提车了，欧尚{model}真香！感谢圈里老哥们的建议。",
    "周末去南山看夜景，有没有一起的？@{friend}",
    "第一次跑高速，油耗比想象中低，分享一下数据：百公里6.8L。",
    "洗车小技巧：先冲泥沙再打泡沫，别干擦！",
    "带娃去露营，后备箱装下了帐篷、天幕和两张折叠床。",
    "车机升级后语音识别快了很多，大家升级了吗？",
    "今天参加圈里的公益活动，给山区小学送了图书。",
    "有没有做果园的车友？老家苹果熟了，车友价。",
]
ARTICLES = [
    ("川西小环线自驾攻略", "第一天成都出发，走雅康高速到康定……沿途加油站不多，建议在泸定加满。"),
    ("新车磨合期注意事项", "前1000公里不要长时间高转速，避免急加速急刹车，定期检查胎压。"),
]
COMMENTS = ["好车！", "同去同去", "收藏了，谢谢分享", "请问在哪个4S店提的？", "羡慕，我的还在路上", "支持公益！"]
ANNOUNCEMENT_TITLE = "欧尚Style 三周年车友节"
WORDS = [("代开发票", "BLOCK"), ("加微信领红包", "HOLD"), ("刷单", "HOLD")]


HELD_BODY = "内部渠道加微信领红包，先到先得"
