"""Demo events for `manage.py seed_demo` (runs after circles): host-led events in the circles and brand
events, past ones with attendance and no-shows (so eventComparison shows figures), upcoming ones with
sign-ups and a waitlist.

Everything goes through the services (seats, the waitlist, the activity stream, points and
notifications are real). A past event is made as an upcoming one, signed up for, then moved back in
time and checked in and finished as of its own dates. Idempotent: events are found by title, and an
existing one is left as it is; deterministic: each event draws from its own seeded generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from circles.models import Circle, Membership
from community.accounts import services as account_services
from community.kernel.errors import ServiceError
from community.models import Follow, User
from events import services
from events.models import Event


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    circle: str | None  # the circle's name; None for a brand event outside circles
    brand: bool
    days: float  # from now to the start: negative for a past event
    hours: float
    capacity: int
    max_guests: int
    city: str
    address: str
    description: str
    signups: int  # how many owners sign up
    attend_share: float = 0.0  # past events: the share of seated sign-ups that check in
    follows: int = 0  # past events: follows made between attendees afterwards (new ties)
    recaps: int = 0  # past events: posts linked to the event


SPECS = [
    Spec(
        "周末南山夜游（第12期）",
        "DRIVE",
        "重庆欧尚车友会",
        False,
        -20,
        4,
        12,
        2,
        "重庆",
        "南山一棵树观景台停车场",
        "周六晚七点集合，沿南山盘山路夜游，山顶看渝中半岛夜景，结束后老火锅宵夜。",
        11,
        attend_share=0.85,
        follows=6,
        recaps=2,
    ),
    Spec(
        "周末南山夜游（第13期）",
        "DRIVE",
        "重庆欧尚车友会",
        False,
        5,
        4,
        10,
        2,
        "重庆",
        "南山一棵树观景台停车场",
        "老规矩，周六晚七点集合。名额有限，带家人请如实填写同行人数。",
        12,
    ),
    Spec(
        "川西自驾·新都桥摄影线",
        "ROAD_TRIP",
        "川渝自驾游小分队",
        False,
        16,
        72,
        8,
        3,
        "成都",
        "成都三环川藏立交集合",
        "成都—雅安—康定—新都桥，三天两晚，车况良好、有高原驾驶经验优先，对讲机频道出发前群里通知。",
        9,
    ),
    Spec(
        "亲子露营·龙泉山星空营地",
        "FAMILY",
        "欧尚露营家族",
        False,
        -38,
        22,
        16,
        3,
        "成都",
        "龙泉山城市森林公园星空营地",
        "带娃露营一晚：搭帐篷比赛、篝火晚会、观星讲解，帐篷不够的可以拼帐。",
        8,
        attend_share=0.9,
        follows=4,
        recaps=1,
    ),
    Spec(
        "公益助学·石柱山区小学送书",
        "CHARITY",
        "欧尚公益行",
        False,
        -55,
        9,
        20,
        1,
        "重庆",
        "石柱县中益乡小学",
        "车友自驾送图书和文具到山区小学，每车可带一位同行的朋友，出发前统一装车。",
        10,
        attend_share=0.8,
        follows=3,
        recaps=1,
    ),
    Spec(
        "洗车保养课堂·夏季养车",
        "CAR_CARE",
        "欧尚X5 PLUS车主俱乐部",
        False,
        3,
        2,
        15,
        1,
        "重庆",
        "长安欧尚两江4S店",
        "4S店技师讲夏季空调保养、轮胎检查和正确洗车，现场可免费检测，欢迎带家人。",
        7,
    ),
    Spec(
        "欧尚Style 车主节·重庆站",
        "MEETUP",
        None,
        True,
        -27,
        6,
        60,
        2,
        "重庆",
        "重庆国际博览中心N1馆",
        "欧尚Style年度车主节：新车静态展、车主故事分享、亲子游园和抽奖。",
        14,
        attend_share=0.55,
        follows=1,
        recaps=1,
    ),
    Spec(
        "欧尚Style 车主节·成都站",
        "MEETUP",
        None,
        True,
        24,
        6,
        8,
        2,
        "成都",
        "成都世纪城新国际会展中心",
        "车主节来到成都：试驾体验、改装展示、车友市集，名额有限先到先得。",
        9,
    ),
    Spec(
        "欧尚Z6 iDD 新车品鉴会",
        "MEETUP",
        "欧尚Style官方圈",
        True,
        -12,
        3,
        30,
        1,
        "重庆",
        "长安汽车全球研发中心",
        "官方品鉴会：工程师讲解混动系统，现场试驾。",
        9,
        attend_share=0.6,
        recaps=0,
    ),
]


def seed_app(report) -> None:
    brand = report.brand
    owners = [owner for owner in report.owners if owner.is_active]
    if brand is None or len(owners) < 4:
        return
    made = signed = 0
    for spec in SPECS:
        if Event.objects.filter(title=spec.title).exists():
            continue
        event = _event(spec, brand)
        if event is None:
            continue
        made += 1
        rng = random.Random(f"events:{spec.title}")
        signed += _sign_ups(rng, event, spec, owners)
        if spec.days < 0:
            _happen(rng, event, spec, report)
    events = Event.objects.filter(title__in=[s.title for s in SPECS])
    waiting = sum(e.waitlist_count for e in events)
    report.lines.append(
        f"活动: {events.count()} 场 ({made} 场新建), {signed} 条新报名, 候补 {waiting} 人 "
        f"(events, new sign-ups, waitlisted)."
    )


def _organizer(spec: Spec, brand: User, circle: Circle | None) -> User | None:
    if spec.brand:
        return brand
    if circle is None:
        return None
    host = Membership.objects.filter(circle=circle, role=Membership.Role.HOST, status=Membership.Status.ACTIVE)
    found = host.select_related("user").first()
    return found.user if found is not None else None


def _event(spec: Spec, brand: User) -> Event | None:
    circle = None
    if spec.circle:
        circle = Circle.objects.filter(name=spec.circle, status=Circle.Status.ACTIVE).first()
        if circle is None:
            return None
    organizer = _organizer(spec, brand, circle)
    if organizer is None:
        return None
    now = timezone.now()
    # A past event is created upcoming (in three days) and moved back once its sign-ups are in.
    starts = now + timedelta(days=spec.days if spec.days > 0 else 3)
    try:
        return services.create_event(
            user=organizer,
            title=spec.title,
            description=spec.description,
            kind=spec.kind,
            circle_id=circle.pk if circle is not None else None,
            starts_at=starts,
            ends_at=starts + timedelta(hours=spec.hours),
            capacity=spec.capacity,
            max_guests_per_signup=spec.max_guests,
            city=spec.city,
            address=spec.address,
            publish=True,
        )
    except ServiceError:
        return None


def _candidates(event: Event, owners: list[User]) -> list[User]:
    if event.circle_id is not None and event.circle.visibility == Circle.Visibility.PRIVATE:
        members = set(
            Membership.objects.filter(circle_id=event.circle_id, status=Membership.Status.ACTIVE).values_list(
                "user_id", flat=True
            )
        )
        return [owner for owner in owners if owner.pk in members and owner.pk != event.organizer_id]
    return [owner for owner in owners if owner.pk != event.organizer_id]


def _sign_ups(rng: random.Random, event: Event, spec: Spec, owners: list[User]) -> int:
    people = _candidates(event, owners)
    rng.shuffle(people)
    signed = 0
    for person in people[: spec.signups]:
        guests = rng.choice([0, 0, 1, 1, 2, 3])
        try:
            services.sign_up(user=person, event_id=event.pk, guests=min(guests, spec.max_guests))
            signed += 1
        except ServiceError:  # banned from the circle, or the like: the demo goes on
            continue
    # On an upcoming event one of the first confirmed changes their mind: the waitlist moves up.
    if spec.days > 0 and event.waitlist_count:
        first = event.signups.filter(status="CONFIRMED").order_by("id").first()
        if first is not None:
            services.cancel_signup(user=first.user, event_id=event.pk)
    return signed


def _happen(rng: random.Random, event: Event, spec: Spec, report) -> None:
    """Move the event to its past dates, check attendees in as of then, finish it, and let a few of them
    follow each other; the first few attendees' recaps go to `report.recaps` for the content demo to post."""
    starts = timezone.now() + timedelta(days=spec.days)
    ends = starts + timedelta(hours=spec.hours)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=ends)
    event.refresh_from_db()
    attendees: list[User] = []
    for signup in event.signups.filter(status="CONFIRMED").select_related("user").order_by("id"):
        if rng.random() < spec.attend_share:
            services.check_in(
                user=signup.user,
                event_id=event.pk,
                code=event.check_in_code,
                now=starts + timedelta(minutes=rng.randint(-30, 40)),
            )
            attendees.append(signup.user)
    services.finish_event(event_id=event.pk, now=ends + timedelta(minutes=1))
    _new_ties(rng, attendees, spec.follows, since=starts)
    report.recaps.extend(
        (author, event.pk, f"{spec.title}回顾：认识了好多新车友，下次还来！") for author in attendees[: spec.recaps]
    )


def _new_ties(rng: random.Random, attendees: list[User], count: int, *, since: datetime) -> None:
    pairs = [(a, b) for a in attendees for b in attendees if a.pk != b.pk]
    rng.shuffle(pairs)
    made = 0
    for follower, followee in pairs:
        if made >= count:
            break
        if Follow.objects.filter(follower=follower, followee=followee).exists():
            continue
        account_services.follow(user=follower, followee_id=followee.pk)
        # Followed the days after the event: within its 30-day window, as a real new tie would be.
        Follow.objects.filter(follower=follower, followee=followee).update(
            created_at=min(timezone.now(), since + timedelta(days=rng.randint(1, 10)))
        )
        made += 1
