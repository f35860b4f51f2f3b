"""Six months of a car-owner community, replayed through the real services with the clock moved.

Every day of the last `DAYS` is lived in order: the clock (time-machine) is set to each moment, owners
join, circles grow, hosts and the brand run events, owners sign up, check in or fail to come, chat,
post, like and comment, and the periodic work runs on its schedule (reminders, finishing events and
no-shows, tie decay). The activity stream and its consumers do the rest as in production: points,
ties, milestones and notifications are never written by the demo. Each day's activities go to their
consumers in one batch at the day's end (`community.activity.batched`).

How the people behave is what makes the figures, not the demo saying so:
- a host's event is a small drive or meetup of the circle's own members, and members who came once
  are likely to come again; attending together with the same people, and chatting in the circle
  afterwards, is what grows ties to FRIEND and STRONG;
- a brand event is a big festival open to everyone, where owners from anywhere come once; the tie
  model gives a crowd less weight per pair than a meeting (`gamification.ties.INTIMATE_SEATS`).

Bulk paths where no rule is at stake: the demo owners share one password hash (hashing it per owner
was most of the old demo's time), and registration skips the rate limit and token.
"""

from __future__ import annotations

import contextlib
import functools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from circles import demo as circle_demo
from circles import services as circles
from circles.models import ChatMessage, Circle, Membership
from community import demo
from community.accounts import demo as account_demo
from community.accounts import services as accounts
from community.content import demo as content_demo
from community.content import editing_demo
from community.content import services as content
from community.content.models import Post
from community.kernel import realtime
from community.kernel.activity import batched, record_activity
from community.kernel.errors import ServiceError
from community.kernel.verbs import Verb
from community.messaging import demo as messaging_demo
from community.models import BRAND_GROUP, SensitiveWord, User
from community.moderation import services as moderation
from events import services as events
from events.models import Event, Signup
from gamification import demo as gamification_demo
from gamification import scores, ties
from gamification import services as points
from simulation.people import Person, people

DAYS = 183
ZONE = ZoneInfo(settings.TIME_ZONE)

HOST_CIRCLES = 4  # the first circles of circles.demo.CIRCLES run events; the rest are for chat and posts
HOST_EVENT_EVERY = 24  # days between two events of the same circle (circles take turns)
HOST_EVENTS = [
    ("周末南山夜游", "DRIVE", 12, "南山一棵树观景台停车场"),
    ("洗车保养课堂", "CAR_CARE", 12, "长安欧尚两江4S店"),
    ("周边自驾一日游", "ROAD_TRIP", 10, "绕城高速出口集合"),
    ("车友茶话会", "MEETUP", 14, "解放碑车友之家"),
    ("亲子露营", "FAMILY", 12, "龙泉山星空营地"),
    ("公益送书", "CHARITY", 14, "山区小学"),
]
BRAND_EVENT_EVERY = 30
BRAND_EVENTS = [
    ("欧尚Style 车主节", "MEETUP", 60, "国际博览中心"),
    ("新车品鉴会", "MEETUP", 60, "长安汽车全球研发中心"),
]
CHAT_AFTER = ["今天玩得开心！", "下次还约", "照片我发群里了", "路上注意安全", "认识大家很高兴", "下次带上家人一起"]


@dataclass
class Figures:
    days: int = 0
    owners: int = 0
    circles: int = 0
    events: int = 0
    signups: int = 0
    messages: int = 0
    posts: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Planned:
    event: Event
    host_led: bool
    attend_share: float
    circle_id: int | None
    signups: dict[int, int]  # person index -> days before the start they sign up


class History:
    def __init__(self, count: int, seed: int, brand: User, *, tick: Callable[[int], None] | None = None):
        self.rng = random.Random(seed)
        self.people = people(count, self.rng)
        self.brand = brand
        self.tick = tick or (lambda n: None)
        self.figures = Figures()
        self.password = demo_password_hash()
        self.today = timezone.localdate()
        self.circles: list[Circle] = []
        self.hosts: dict[int, User] = {}
        self.planned: list[Planned] = []
        self.recent_posts: list[Post] = []
        self.last_messages: dict[int, ChatMessage] = {}

    # ---------------------------------------------------------------- the clock

    def moment(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)

    def run(self) -> Figures:
        started = time.perf_counter()
        self.traveller = time_machine.travel(self.moment(DAYS, 7), tick=False)
        self.clock = self.traveller.start()
        try:
            with nobody_listening():
                for days_ago in range(DAYS, -1, -1):
                    self.day(days_ago)
                    self.tick(1)
        finally:
            self.traveller.stop()
        self.figures.days = DAYS + 1
        self.figures.seconds["history"] = time.perf_counter() - started
        return self.figures

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        moment = self.moment(days_ago, hour, minute)
        self.clock.move_to(moment)
        return moment

    # ---------------------------------------------------------------- one day

    def day(self, days_ago: int) -> None:
        # A day's activities go to their consumers together at the day's end.
        with batched():
            self.night(days_ago)
            self.arrivals(days_ago)
            if days_ago == DAYS - 3:
                self.found_circles(days_ago)
            self.plan_events(days_ago)
            self.signups(days_ago)
            self.reminders(days_ago, 9)
            self.daily_life(days_ago)
            self.reminders(days_ago, 17)
            self.events_today(days_ago)
            self.at(days_ago, 23, 59)

    def night(self, days_ago: int) -> None:
        """What beat runs at night: finishing ended events (no-shows) and the tie decay."""
        now = self.at(days_ago, 3)
        events.finish_ended_events(now=now)
        ties.decay_ties(now)

    def reminders(self, days_ago: int, hour: int) -> None:
        """Beat's reminder run; on a day when no event starts within a day it has nothing to send, and
        is not run (every event of the history is one the history planned)."""
        moment = self.moment(days_ago, hour)
        if any(timedelta(0) < p.event.starts_at - moment <= timedelta(hours=24) for p in self.planned):
            events.send_due_reminders(now=self.at(days_ago, hour))

    # ---------------------------------------------------------------- people and circles

    def arrivals(self, days_ago: int) -> None:
        for person in self.people:
            if person.joined_ago == days_ago:
                self.at(days_ago, 8, self.rng.randint(0, 59))
                self.register(person)
                if self.circles:
                    self.join_circles(person, days_ago)

    def register(self, person: Person) -> None:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = User.objects.create(
                username=person.username,
                password=self.password,
                nickname=person.nickname,
                city=person.city,
                bio=person.bio,
            )
            record_activity(actor=user, verb=Verb.REGISTERED, target=user)
            if self.rng.random() < 0.92:
                vin = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(6))
                vehicle = accounts.add_vehicle(user=user, model=person.model, category=person.category, vin_suffix=vin)
                if person.verified:
                    accounts.verify_vehicle(user=self.brand, vehicle_id=vehicle.pk)
        person.user = user
        self.figures.owners += 1

    def found_circles(self, days_ago: int) -> None:
        """The founders found the circles in the first week; brand staff approve them."""
        founders = [p for p in self.people if p.habit == "founder_regular" and p.user is not None] or [
            p for p in self.people if p.user is not None and p.verified
        ]
        for position, spec in enumerate(circle_demo.CIRCLES):
            name, kind, city, policy, visibility, description = spec
            self.at(days_ago, 10, position)
            same_city = [p for p in founders if p.city == city]
            host = (
                self.brand
                if kind == "OFFICIAL" or not founders
                else (same_city or founders)[position % len(same_city or founders)].user
            )
            try:
                circle = circles.create_circle(
                    user=host,
                    name=name,
                    description=description,
                    kind=kind,
                    city=city,
                    join_policy=policy,
                    visibility=visibility,
                )
                circle = circles.review_circle(user=self.brand, circle_id=circle.pk, approve=True)
            except ServiceError:
                continue
            self.circles.append(circle)
            self.hosts[circle.pk] = host
            self.figures.circles += 1
        for person in self.people:
            if person.user is not None:
                self.join_circles(person, days_ago)

    def join_circles(self, person: Person, days_ago: int) -> None:
        """The circle of their city, and one or two of interest, whatever the policy asks for."""
        own_city = [c for c in self.circles if c.city == person.city and c.kind == "CITY"]
        others = [c for c in self.circles if c not in own_city and c.kind != "OFFICIAL"]
        chosen = own_city[:1] + self.rng.sample(others, k=min(len(others), self.rng.choice([1, 1, 2])))
        if self.rng.random() < 0.5:
            chosen += [c for c in self.circles if c.kind == "OFFICIAL"]
        for circle in chosen:
            host = self.hosts[circle.pk]
            if host.pk == person.user.pk:
                person.circles.append(circle.pk)
                continue
            try:
                code = None
                if circle.join_policy == Circle.JoinPolicy.INVITE_ONLY:
                    code = circles.create_invite(user=host, circle_id=circle.pk).code
                membership = circles.join_circle(user=person.user, circle_id=circle.pk, invite_code=code)
                if membership.status == Membership.Status.PENDING and days_ago > 0:
                    membership = circles.review_join_request(user=host, membership_id=membership.pk, approve=True)
            except ServiceError:
                continue
            if membership.status == Membership.Status.ACTIVE:
                person.circles.append(circle.pk)

    # ---------------------------------------------------------------- events

    def plan_events(self, days_ago: int) -> None:
        """Hosts announce an event six days ahead, the circles taking turns; the brand every month, two
        weeks ahead. Who will sign up, and when, is decided now from each owner's habits."""
        host_circles = self.circles[:HOST_CIRCLES]
        if host_circles and days_ago <= DAYS - 8 and days_ago % max(1, HOST_EVENT_EVERY // len(host_circles)) == 0:
            turn = (DAYS - days_ago) // max(1, HOST_EVENT_EVERY // len(host_circles))
            circle = host_circles[turn % len(host_circles)]
            title, kind, capacity, address = HOST_EVENTS[turn % len(HOST_EVENTS)]
            self.announce(
                days_ago,
                circle,
                f"{title}（{circle.city or '线上'}·第{turn // len(host_circles) + 1}期）",
                kind,
                capacity,
                address,
                ahead=6,
                hour=19,
                hours=4,
            )
        if days_ago <= DAYS - 20 and days_ago % BRAND_EVENT_EVERY == 10:
            turn = days_ago // BRAND_EVENT_EVERY
            title, kind, capacity, address = BRAND_EVENTS[turn % len(BRAND_EVENTS)]
            city = ("重庆", "成都")[turn % 2]
            self.announce(
                days_ago,
                None,
                f"{title}·{city}站（{self.today.year}年第{turn}场）",
                kind,
                capacity,
                f"{city}{address}",
                ahead=14,
                hour=14,
                hours=5,
                city=city,
            )

    def announce(self, days_ago, circle, title, kind, capacity, address, *, ahead, hour, hours, city=None):
        organizer = self.hosts[circle.pk] if circle is not None else self.brand
        now = self.at(days_ago, 11)
        starts = self.moment(days_ago - ahead, hour)
        try:
            event = events.create_event(
                user=organizer,
                title=title,
                kind=kind,
                circle_id=circle.pk if circle else None,
                description=f"{title}：{address}集合，欢迎车友报名。",
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                capacity=capacity,
                max_guests_per_signup=2,
                city=city or (circle.city if circle else ""),
                address=address,
                publish=True,
                now=now,
            )
        except ServiceError:
            return
        self.figures.events += 1
        host_led = circle is not None
        pool = [p for p in self.people if p.user is not None and p.user.pk != organizer.pk]
        if host_led:
            pool = [p for p in pool if circle.pk in p.circles]
        plan: dict[int, int] = {}
        for person in pool:
            if host_led:  # the circle's regulars come back; others try it now and then
                chance = 0.85 if circle.pk in person.attended_in else 0.35
            else:  # a festival draws the casual owners of the whole country, the regulars less
                chance = 0.12 if person.habit.startswith("founder") else 0.35
            if self.rng.random() < chance:
                plan[person.index] = self.rng.randint(1, ahead - 1)
        self.planned.append(Planned(event, host_led, 0.88 if host_led else 0.6, circle.pk if circle else None, plan))

    def signups(self, days_ago: int) -> None:
        by_index = {p.index: p for p in self.people}
        for planned in self.planned:
            start_ago = (self.today - timezone.localdate(planned.event.starts_at)).days
            for index, before in sorted(planned.signups.items()):
                person = by_index[index]
                if start_ago + before != days_ago or not person.active_on(days_ago):
                    continue
                now = self.at(days_ago, 12, self.rng.randint(0, 59))
                guests = self.rng.choice([0, 0, 0, 1, 1, 2])
                try:
                    events.sign_up(user=person.user, event_id=planned.event.pk, guests=guests, now=now)
                    self.figures.signups += 1
                except ServiceError:
                    continue
                if self.rng.random() < 0.06:  # changed their mind a day later: the waitlist moves up
                    with contextlib.suppress(ServiceError):
                        events.cancel_signup(
                            user=person.user,
                            event_id=planned.event.pk,
                            now=now + timedelta(hours=self.rng.randint(2, 20)),
                        )

    def events_today(self, days_ago: int) -> None:
        for planned in list(self.planned):
            event = planned.event
            if timezone.localdate(event.starts_at) != self.today - timedelta(days=days_ago):
                continue
            self.planned.remove(planned)
            event.refresh_from_db()
            if event.status != Event.Status.PUBLISHED:
                continue
            attendees: list[Person] = []
            by_user = {p.user.pk: p for p in self.people if p.user is not None}
            for signup in Signup.objects.filter(event=event, status=Signup.Status.CONFIRMED).order_by("id"):
                person = by_user.get(signup.user_id)
                if person is None or self.rng.random() > planned.attend_share:
                    continue
                now = event.starts_at + timedelta(minutes=self.rng.randint(-40, 30))
                self.clock.move_to(now)
                try:
                    events.check_in(user=person.user, event_id=event.pk, code=event.check_in_code, now=now)
                except ServiceError:
                    continue
                attendees.append(person)
                if planned.circle_id:
                    person.attended_in.add(planned.circle_id)
            self.clock.move_to(event.ends_at + timedelta(minutes=20))
            self.after_event(planned, attendees)

    def after_event(self, planned: Planned, attendees: list[Person]) -> None:
        """Hosts' events end in the circle's chat, with replies between the people who were there, a
        follow or two and a recap; at a festival most people go home."""
        if len(attendees) < 2:
            return
        event = planned.event
        if planned.host_led:
            previous = None
            for person in self.rng.sample(attendees, k=min(len(attendees), 4)):
                if self.rng.random() > person.sociable:
                    continue
                try:
                    previous = self.said(
                        circles.send_chat_message(
                            user=person.user,
                            circle_id=planned.circle_id,
                            body=self.rng.choice(CHAT_AFTER),
                            reply_to_id=previous.pk if previous is not None else None,
                        )
                    )
                except ServiceError:
                    continue
        follow_chance = 0.25 if planned.host_led else 0.04
        for person in attendees:
            if self.rng.random() < follow_chance:
                other = self.rng.choice([p for p in attendees if p is not person])
                self.follow(person, other)
        if self.rng.random() < (0.8 if planned.host_led else 0.5):
            author = self.rng.choice(attendees)
            try:
                post = content.create_post(
                    user=author.user,
                    body=f"{event.title}回顾：认识了好多新车友，下次还来！",
                    circle_id=planned.circle_id,
                    event_id=event.pk,
                )
                self.recent_posts.append(post)
                self.figures.posts += 1
            except ServiceError:
                pass

    def follow(self, person: Person, other: Person) -> None:
        if person.user.pk != other.user.pk:
            with contextlib.suppress(ServiceError):
                accounts.follow(user=person.user, followee_id=other.user.pk)

    # ---------------------------------------------------------------- everyday life

    def daily_life(self, days_ago: int) -> None:
        for person in self.people:
            if person.user is None or not person.active_on(days_ago) or self.rng.random() > person.rate:
                continue
            now = self.at(days_ago, self.rng.randint(7, 22), self.rng.randint(0, 59))
            if self.rng.random() < 0.35:
                with contextlib.suppress(ServiceError):
                    points.daily_check_in(user=person.user, now=now)
            roll = self.rng.random()
            if roll < 0.15:
                self.post(person)
            elif roll < 0.5:
                self.react(person)
            elif person.circles:
                self.chat(person)
            if self.rng.random() < 0.04:
                others = [p for p in self.people if p.user is not None and p.city == person.city and p is not person]
                if others:
                    self.follow(person, self.rng.choice(others))

    def post(self, person: Person) -> None:
        vehicle_model = person.model.replace("欧尚", "")
        friend = self.rng.choice([p for p in self.people if p.user is not None])
        body = self.rng.choice(content_demo.MOMENTS).format(model=vehicle_model, friend=friend.nickname)
        circle_id = self.rng.choice(person.circles) if person.circles and self.rng.random() < 0.7 else None
        try:
            if self.rng.random() < 0.15:
                title, text = self.rng.choice(content_demo.ARTICLES)
                post = content.create_post(user=person.user, kind="ARTICLE", title=title, body=text)
            else:
                post = content.create_post(user=person.user, body=body, circle_id=circle_id)
        except ServiceError:
            return
        self.recent_posts = [*self.recent_posts[-40:], post]
        self.figures.posts += 1

    def react(self, person: Person) -> None:
        if not self.recent_posts:
            return
        post = self.rng.choice(self.recent_posts[-20:])
        if post.author_id == person.user.pk:
            return
        try:
            content.like_post(user=person.user, post_id=post.pk)
            if self.rng.random() < person.sociable * 0.3:
                content.add_comment(user=person.user, post_id=post.pk, body=self.rng.choice(content_demo.COMMENTS))
        except ServiceError:
            pass

    def chat(self, person: Person) -> None:
        circle_id = self.rng.choice(person.circles)
        last = self.last_messages.get(circle_id)
        reply_to = (
            last.pk if last is not None and last.author_id != person.user.pk and self.rng.random() < 0.5 else None
        )
        body = self.rng.choice(circle_demo.CHAT).format(city=person.city)
        with contextlib.suppress(ServiceError):
            self.said(circles.send_chat_message(user=person.user, circle_id=circle_id, body=body, reply_to_id=reply_to))

    def said(self, message: ChatMessage) -> ChatMessage:
        """A message sent: the chat's last one (remembered rather than read back), counted."""
        self.last_messages[message.circle_id] = message
        self.figures.messages += 1
        return message


# ---------------------------------------------------------------- the whole demo


@contextlib.contextmanager
def nobody_listening():
    """While the past is replayed no client is connected: the live pushes the services publish after
    each commit (one thread hop each) have nobody to reach, so they are not sent. Everything they would
    point at is in the database, where clients read it."""
    send_now = realtime.send_now
    realtime.send_now = lambda topic, payload: True
    try:
        yield
    finally:
        realtime.send_now = send_now


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once (a salted hash of the same password logs in as well as any):
    hashing it for every demo account was a large part of seeding."""
    return make_password(demo.DEMO_PASSWORD)


def brand_staff() -> User:
    brand = User.objects.filter(username=demo.BRAND_USERNAME).first()
    if brand is None:
        brand = User.objects.create(
            username=demo.BRAND_USERNAME,
            password=demo_password_hash(),
            nickname="欧尚Style官方运营",
            city="重庆",
            bio="品牌运营团队",
        )
        brand.groups.add(Group.objects.get_or_create(name=BRAND_GROUP)[0])
    if not User.objects.filter(username=demo.SUPERUSER_USERNAME).exists():
        User.objects.create(
            username=demo.SUPERUSER_USERNAME,
            email=f"{demo.SUPERUSER_USERNAME}@example.com",
            password=demo_password_hash(),
            nickname="系统管理员",
            city="重庆",
            is_staff=True,
            is_superuser=True,
        )
    return User.objects.get(pk=brand.pk)


def already_lived() -> bool:
    return User.objects.filter(username="owner001").exists()


def finishing_touches(brand: User, owners: list[User], rng: random.Random) -> list[str]:
    """What a live community has besides its history: the word list, a pinned announcement, a post held
    for review and a report, a circle waiting for approval, the points mall and a few redemptions."""
    for word, action in content_demo.WORDS:
        if not SensitiveWord.objects.filter(word=word).exists():
            SensitiveWord.objects.create(word=word, action=action, note="演示词")
    announcement = content.create_post(
        user=brand,
        kind="ANNOUNCEMENT",
        title=content_demo.ANNOUNCEMENT_TITLE,
        body="感谢87个车友圈的圈主和每一位车主！本月各地车友会活动报名已开启。",
    )
    moderation.set_post_pinned(user=brand, post_id=announcement.pk, pinned=True)
    if len(owners) > 3:
        held = content.create_post(user=owners[-1], body=content_demo.HELD_BODY)
        if held.status == "PUBLISHED":
            moderation.report_content(user=owners[0], kind="post", target_id=held.pk, reason="SPAM", note="疑似广告")
    verified = [o for o in owners if o.is_verified_owner]
    if verified:
        with contextlib.suppress(ServiceError):
            circles.create_circle(
                user=verified[-1],
                name=circle_demo.PENDING[0],
                description=circle_demo.PENDING[5],
                kind=circle_demo.PENDING[1],
                city=circle_demo.PENDING[2],
                join_policy=circle_demo.PENDING[3],
                visibility=circle_demo.PENDING[4],
            )
    rewards = gamification_demo.seed_rewards()
    redeemed = 0
    for owner in owners:
        if rng.random() < 0.4:
            affordable = [
                r for r in rewards if r.active and r.stock > 0 and r.cost <= points.account_for(owner.pk).balance
            ]
            if affordable:
                try:
                    result = points.redeem_reward(user=owner, reward_id=rng.choice(affordable).pk)
                    redeemed += 1
                    if redeemed % 2:
                        points.fulfil_redemption(user=brand, redemption_id=result.redemption.pk)
                except ServiceError:
                    pass
    mall = f"积分商城: {len(rewards)} 个奖品, {redeemed} 次兑换 (points mall: rewards, redemptions)."
    return [
        mall,
        *editing_demo.edit_a_post_and_an_event(),
        *account_demo.seed_accounts(owners),
        *messaging_demo.seed(owners, rng),
    ]


def nightly() -> dict[str, int]:
    """Tonight's nightly work, as beat runs it: decay, then profiles and segments, then circle scores."""
    return {
        "ties": ties.decay_ties(),
        "profiles": scores.recompute_profiles(),
        "circles": scores.recompute_circle_scores(),
    }


def summary() -> list[str]:
    from events.selectors import compare_origins
    from gamification.models import Tie, UserActivityProfile
    from gamification.ties import LEVELS, level_of

    levels = dict.fromkeys([name for _floor, name in LEVELS], 0)
    for strength in Tie.objects.values_list("strength", flat=True):
        levels[level_of(strength)] += 1
    cells = (
        UserActivityProfile.objects.filter(user__username__startswith="owner")
        .values_list("maturity", "lifecycle")
        .distinct()
        .count()
    )
    stats = compare_origins(since=timezone.now() - timedelta(days=DAYS))
    host, brand = stats["HOST"], stats["BRAND"]
    return [
        "关系 ties: " + ", ".join(f"{name} {count}" for name, count in levels.items()),
        f"分群 segment cells with owners: {cells}/12",
        f"主理人活动 host-led: {host.events} events, new ties per attendee {host.new_ties_per_attendee:.2f}, "
        f"repeat attendees {host.repeat_attendee_rate:.0%}; 品牌活动 brand-led: {brand.events} events, "
        f"new ties per attendee {brand.new_ties_per_attendee:.2f}, repeat attendees {brand.repeat_attendee_rate:.0%}",
    ]


def owners_of(people_: list[Person]) -> list[User]:
    return [p.user for p in people_ if p.user is not None]
