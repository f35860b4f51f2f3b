"""The operations the fault tests send, as the app writes them."""

SEND_CHAT = """
mutation($c: ID!, $b: String!) {
  sendChatMessage(input: {circleId: $c, body: $b}) { message { id } errors { code } }
}"""

CREATE_POST = """
mutation($c: ID!, $b: String!) {
  createPost(input: {circleId: $c, body: $b}) { post { id } errors { code } }
}"""

READ_CIRCLE = "query($c: ID!) { circle(id: $c) { name memberCount } feed(first: 5) { edges { node { id } } } }"

ME = "{ me { id nickname } }"

CHAT_SUBSCRIPTION = "subscription($c: ID!, $after: ID) { chatMessages(circleId: $c, after: $after) { id body } }"
