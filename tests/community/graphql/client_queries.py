"""The heaviest documents the web client and the mobile app send: every limit must let them through.

Each is a whole screen in one request, written as clients write them (named fragments, variables,
`__typename` everywhere, as Apollo adds it), at the page sizes the screens use, or the largest the
server gives (100) where a screen lists everything.
"""

import json
import re
from pathlib import Path

from graphql import get_introspection_query

USER_CHIP = """
fragment UserChip on User { __typename id nickname avatarUrl level isVerifiedOwner isBrandStaff city }
"""

POST_CARD = (
    USER_CHIP
    + """
fragment PostCard on Post {
  __typename id kind title body status pinned likeCount commentCount viewerHasLiked createdAt
  images { url thumbnailUrl width height }
  author { ...UserChip }
  circle { __typename id name }
  event { __typename id title startsAt }
  comments(first: $comments) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename id body status createdAt author { ...UserChip } parent { __typename id } } }
  }
}
"""
)

EVENT_CARD = """
fragment EventCard on Event {
  __typename id title kind origin status startsAt endsAt signupOpensAt signupClosesAt city address
  capacity confirmedSeats seatsLeft waitlistCount maxGuestsPerSignup
  viewerSignup { __typename id status guests waitlistPosition }
}
"""

FEED = (
    POST_CARD
    + """
query Feed($first: Int = 20, $after: String, $comments: Int = 3) {
  feed(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...PostCard } }
  }
  unreadNotificationCount
  me { ...UserChip points { balance level checkInStreak } }
}
"""
)

CIRCLE_PAGE = (
    POST_CARD
    + EVENT_CARD
    + """
query CirclePage($id: ID!, $members: Int = 100, $comments: Int = 3) {
  circle(id: $id) {
    __typename id name description kind city joinPolicy visibility status memberCount activityScore createdAt
    host { ...UserChip }
    viewerMembership { __typename id role status joinedAt }
    members(first: $members) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { __typename id role status joinedAt user { ...UserChip } } }
    }
    posts(first: 20) { pageInfo { hasNextPage endCursor } edges { cursor node { ...PostCard } } }
    events(first: 20, upcoming: true) { edges { node { ...EventCard } } }
    chatMessages(last: 50) {
      pageInfo { hasPreviousPage startCursor }
      edges { cursor node { __typename id body createdAt author { ...UserChip }
        replyTo { __typename id body author { __typename id nickname } } } }
    }
  }
}
"""
)

EVENT_PAGE = (
    USER_CHIP
    + EVENT_CARD
    + """
query EventPage($id: ID!) {
  event(id: $id) {
    ...EventCard
    description latitude longitude checkInCode
    circle { __typename id name visibility viewerMembership { __typename id role } }
    organizer { ...UserChip }
    signups(first: 100) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { __typename id guests status waitlistPosition createdAt checkedInAt user { ...UserChip } } }
    }
  }
}
"""
)

MY_PAGE = (
    USER_CHIP
    + """
query MyPage {
  me {
    ...UserChip bio joinedAt followerCount followingCount
    vehicles { __typename id model category purchasedOn verified }
    badges { code name description awardedAt }
    points {
      balance lifetimeEarned level nextLevelAt checkInStreak
      transactions(first: 100) { pageInfo { hasNextPage endCursor } edges { node { id amount reason createdAt } } }
    }
    activity { activityScore lifecycle maturity lastActiveAt }
  }
  myTies(first: 100) {
    pageInfo { hasNextPage endCursor }
    edges { node { strength level sharedEvents lastInteractionAt user { ...UserChip } } }
  }
  notifications(first: 100) {
    pageInfo { hasNextPage endCursor }
    edges { node { __typename id verb text targetId createdAt readAt actor { ...UserChip } } }
  }
  unreadNotificationCount
  rewards(first: 100) { edges { node { __typename id name description cost stock } } }
}
"""
)

DISCOVER = (
    USER_CHIP
    + EVENT_CARD
    + """
query Discover($city: String) {
  circles(first: 100, city: $city) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename id name kind city joinPolicy visibility memberCount activityScore
      host { ...UserChip } viewerMembership { __typename id role status } } }
  }
  events(first: 100, upcoming: true, city: $city) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...EventCard circle { __typename id name } organizer { ...UserChip } } }
  }
  circleRanking(first: 100, city: $city) { rank score circle { __typename id name memberCount } }
  leaderboard(scope: GLOBAL, period: WEEK, first: 100) { rank score user { ...UserChip } }
}
"""
)

BRAND_CONSOLE = (
    USER_CHIP
    + """
fragment OriginStats on EventOriginStats {
  origin events signups fillRate attendanceRate noShowRate repeatAttendeeRate newTiesPerAttendee postsPerEvent
}

query BrandConsole {
  moderationQueue(first: 100, status: OPEN) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename id reason note status createdAt reporter { ...UserChip }
      post { __typename id kind title body status author { ...UserChip } }
      comment { __typename id body status author { ...UserChip } }
      chatMessage { __typename id body author { ...UserChip } circle { __typename id name } } } }
  }
  pendingPosts(first: 100) { edges { node { __typename id kind title body createdAt author { ...UserChip } } } }
  pendingCircles(first: 100) {
    edges { node { __typename id name description kind city createdAt host { ...UserChip } } }
  }
  segmentMatrix { total computedAt cells { maturity lifecycle users } }
  eventComparison {
    host { ...OriginStats }
    brand { ...OriginStats }
  }
}
"""
)

SEGMENT = (
    USER_CHIP
    + """
query Segment($maturity: Maturity!, $lifecycle: Lifecycle!) {
  segmentUsers(maturity: $maturity, lifecycle: $lifecycle, first: 100) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...UserChip joinedAt followerCount
      activity { activityScore lifecycle maturity lastActiveAt }
      points { balance lifetimeEarned level }
      vehicles { __typename id model category verified } } }
  }
}
"""
)

# What GraphiQL (and schema tools) send when they open.
INTROSPECTION = get_introspection_query(descriptions=True, directive_is_repeatable=True)

CLIENT_QUERIES = {
    "feed": (FEED, {"first": 20, "comments": 3}),
    "circle page": (CIRCLE_PAGE, {"id": "Q2lyY2xlOjE=", "members": 100}),
    "event page": (EVENT_PAGE, {"id": "RXZlbnQ6MQ=="}),
    "my page": (MY_PAGE, {}),
    "discover": (DISCOVER, {"city": "重庆"}),
    "brand console": (BRAND_CONSOLE, {}),
    "segment": (SEGMENT, {"maturity": "MATURE", "lifecycle": "LAPSED"}),
    "introspection": (INTROSPECTION, {}),
}


WEB_CLIENT_DOCUMENTS = Path(__file__).resolve().parents[3] / "frontend" / "src" / "gql" / "gql.ts"
PAGE_VARIABLES = ("first", "last", "members", "comments")


def web_client_documents() -> dict[str, tuple[str, dict]]:
    """Every operation the web client sends (its generated `gql.ts`), with the fragments it spreads
    appended as the client sends them, and its page-size variables at the largest page (100)."""
    text = WEB_CLIENT_DOCUMENTS.read_text()
    block = text[text.index("type Documents = {") : text.index("};", text.index("type Documents = {"))]
    sources = [json.loads(f'"{raw}"') for raw in re.findall(r'^\s+"((?:[^"\\]|\\.)*)": typeof types\.', block, re.M)]
    fragments = {
        re.search(r"fragment (\w+)", source).group(1): source
        for source in sources
        if source.lstrip().startswith("fragment")
    }
    documents = {}
    for source in sources:
        operation = re.match(r"\s*(query|mutation|subscription)\s+(\w+)", source)
        if operation is None:
            continue
        needed, pending = [], re.findall(r"\.\.\.(\w+)", source)
        while pending:
            name = pending.pop()
            if name in fragments and name not in needed:
                needed.append(name)
                pending += re.findall(r"\.\.\.(\w+)", fragments[name])
        document = source + "".join(fragments[name] for name in needed if f"fragment {name} " not in source)
        variables = {
            name: 100 for name in re.findall(r"\$(\w+)\s*:\s*Int", source.split(")")[0]) if name in PAGE_VARIABLES
        }
        documents[operation.group(2)] = (document, variables)
    return documents
