"""The baseline for bench/feed.py: the feed as plain JSON with hand-written queries.

Mounted only by the benchmark's settings (bench/settings.py, bench/urls.py), never in production. It
returns the same data as the GraphQL feed query of the benchmark, so the two can be compared on the
same server.
"""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.views.decorators.csrf import csrf_exempt

from community.content import selectors as content_selectors
from community.content.models import Like, PostImage
from community.graphql.pagination import clamp_first
from gamification.levels import level_for
from gamification.models import PointsAccount


def _level(user_id: int, levels: dict[int, int]) -> int:
    return levels.get(user_id, 1)


def _levels_for(user_ids: set[int]) -> dict[int, int]:
    accounts = PointsAccount.objects.filter(user_id__in=user_ids).values_list("user_id", "lifetime_earned")
    return {user_id: level_for(earned) for user_id, earned in accounts}


def feed_json(request):
    viewer = request.user
    limit = clamp_first(int(request.GET.get("first", 20)))
    posts = content_selectors.feed_page(viewer, limit=limit)[:limit]
    post_ids = [p.pk for p in posts]
    images: dict[int, list] = {}
    for image in PostImage.objects.filter(post_id__in=post_ids).order_by("post_id", "position"):
        images.setdefault(image.post_id, []).append(image)
    liked = (
        set(Like.objects.filter(user=viewer, post_id__in=post_ids).values_list("post_id", flat=True))
        if viewer.is_authenticated
        else set()
    )
    comments: dict[int, list] = {}
    ranked = (
        content_selectors.visible_comments(viewer)
        .filter(post_id__in=post_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("post_id")], order_by=[F("created_at"), F("id")]))
        .select_related("author")
        .order_by("post_id", "created_at", "id")
    )
    for comment in ranked:
        if comment.rank <= 3:
            comments.setdefault(comment.post_id, []).append(comment)
    levels = _levels_for({p.author_id for p in posts})

    def media(field):
        return request.build_absolute_uri(field.url) if field else None

    body = [
        {
            "id": post.pk,
            "author": {
                "nickname": post.author.nickname,
                "avatarUrl": media(post.author.avatar_thumbnail or post.author.avatar),
                "level": _level(post.author_id, levels),
            },
            "circle": {"name": post.circle.name} if post.circle_id else None,
            "images": [
                {
                    "url": media(i.image),
                    "thumbnailUrl": media(i.thumbnail or i.image),
                    "width": i.width,
                    "height": i.height,
                }
                for i in images.get(post.pk, [])
            ],
            "likeCount": post.like_count,
            "commentCount": post.comment_count,
            "viewerHasLiked": post.pk in liked,
            "comments": [
                {"body": c.body, "author": {"nickname": c.author.nickname}} for c in comments.get(post.pk, [])
            ],
        }
        for post in posts
    ]
    return JsonResponse({"feed": body})


_FLOOR_STATEMENTS: dict[tuple[str, bytes], list[str]] = {}


@csrf_exempt
def feed_floor(request):
    """The physical floor of the feed on this stack: the very SQL statements a GraphQL feed request runs
    (token lookup included), replayed raw through the cursor, their rows encoded with the C JSON encoder.
    No ORM, no GraphQL, no model instances: what is left is the database round trips and the encoding.
    It takes the GraphQL request's own body; the statements are recorded once per token and body, by
    running that request through the GraphQL view (the token lookup included)."""
    key = (request.META.get("HTTP_AUTHORIZATION", ""), request.body)
    statements = _FLOOR_STATEMENTS.get(key)
    if statements is None:
        with CaptureQueriesContext(connection) as captured:
            request.user.pk  # noqa: B018 (the token lookup, recorded with the rest)
            response = resolve("/graphql/").func(request)
            assert response.status_code == 200 and b'"errors"' not in response.content, response.content[:300]
        statements = _FLOOR_STATEMENTS[key] = [query["sql"] for query in captured.captured_queries]
    results = []
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            results.append(cursor.fetchall() if cursor.description else [])
    return HttpResponse(json.dumps(results, default=str, ensure_ascii=False), content_type="application/json")


class QueryCountMiddleware:
    """Adds X-Query-Count to every response, for the benchmark's queries-per-request figure."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
