"""The demo's circles: the city, model and interest circles its founders start, the one still waiting
for approval, and what members say in chat. The history that uses them is `simulation.history`."""

from __future__ import annotations

# name, kind, city, join policy, visibility, description
CIRCLES = [
    (
        "重庆欧尚车友会",
        "CITY",
        "重庆",
        "OPEN",
        "PUBLIC",
        "山城车友的大本营：周末自驾、洗车团购、新车提车交流，欢迎重庆的欧尚车主。",
    ),
    (
        "成都欧尚车友会",
        "CITY",
        "成都",
        "APPROVAL",
        "PUBLIC",
        "成都及周边车主，川西自驾、美食探店，入圈请简单介绍你的爱车。",
    ),
    ("北京欧尚车友会", "CITY", "北京", "APPROVAL", "PUBLIC", "京城车友，周末京郊游、冬季用车经验分享。"),
    (
        "欧尚X5 PLUS车主俱乐部",
        "MODEL",
        "",
        "OPEN",
        "PUBLIC",
        "X5 PLUS车主交流用车、保养、改装心得，提车作业欢迎晒。",
    ),
    ("欧尚Z6 iDD混动车友圈", "MODEL", "", "APPROVAL", "PUBLIC", "混动车主聊油耗、充电和长途续航，新手问题有问必答。"),
    ("长安星卡创业帮", "MODEL", "", "OPEN", "PUBLIC", "跑货拉货的兄弟们：接单、路线、省油技巧，互相帮衬。"),
    ("川渝自驾游小分队", "INTEREST", "重庆", "OPEN", "PUBLIC", "川西、贵州、云南，一起规划路线、组队出发，安全第一。"),
    (
        "欧尚露营家族",
        "INTEREST",
        "成都",
        "INVITE_ONLY",
        "PRIVATE",
        "周末带娃露营，装备分享、营地推荐，老成员邀请加入。",
    ),
    ("欧尚公益行", "INTEREST", "", "OPEN", "PUBLIC", "助学、环保、爱心送考，用车友的力量做点好事。"),
    ("欧尚Style官方圈", "OFFICIAL", "", "OPEN", "PUBLIC", "官方活动、新车发布与车主福利第一时间发布。"),
]
PENDING = ("杭州欧尚亲子车友会", "CITY", "杭州", "APPROVAL", "PUBLIC", "杭州的宝爸宝妈车主，周末亲子游、自驾去海边。")

CHAT = [
    "大家好，新人报到！{city}的车主，请多关照",
    "周六早上八点老地方集合，有一起的吗？",
    "刚做完首保，4S店服务不错，推荐一下",
    "高速上油耗多少？我跑下来百公里七个多",
    "下周末去露营，还差两辆车，感兴趣的接龙",
    "昨天洗车团购的券到了吗？",
    "雨天记得开雾灯，安全第一",
    "路上遇到同款车，按了喇叭打招呼哈哈",
]
