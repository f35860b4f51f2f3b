import { graphql } from "../gql";

/** What a post card shows, for the feed, a circle's posts and the post page. */
export const POST_CARD_FIELDS = graphql(`
  fragment PostCardFields on Post {
    id
    kind
    title
    body
    pinned
    status
    likeCount
    commentCount
    viewerHasLiked
    createdAt
    editedAt
    author {
      id
      nickname
      avatarUrl
      level
    }
    circle {
      id
      name
    }
    event {
      id
      title
    }
    images {
      url
      thumbnailUrl
      width
      height
    }
  }
`);

export const LIKE_POST = graphql(`
  mutation LikePost($input: PostIdInput!) {
    likePost(input: $input) {
      post {
        id
        likeCount
        viewerHasLiked
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UNLIKE_POST = graphql(`
  mutation UnlikePost($input: PostIdInput!) {
    unlikePost(input: $input) {
      post {
        id
        likeCount
        viewerHasLiked
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UPDATE_POST = graphql(`
  mutation UpdatePost($input: UpdatePostInput!) {
    updatePost(input: $input) {
      post {
        ...PostCardFields
      }
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);
