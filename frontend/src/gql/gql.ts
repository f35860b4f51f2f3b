/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    me {\n      id\n      nickname\n      avatarUrl\n      city\n      level\n      isBrandStaff\n      isVerifiedOwner\n    }\n    unreadNotificationCount\n  }\n": typeof types.ViewerDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Logout {\n    logout(input: { allDevices: false }) {\n      revoked\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.LogoutDocument,
    "\n  query PendingCircles($first: Int!, $after: String) {\n    pendingCircles(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          kind\n          city\n          createdAt\n          host {\n            id\n            nickname\n          }\n        }\n      }\n    }\n  }\n": typeof types.PendingCirclesDocument,
    "\n  mutation ReviewCircle($input: ReviewCircleInput!) {\n    reviewCircle(input: $input) {\n      circle {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ReviewCircleDocument,
    "\n  query HostedCircles($first: Int!, $after: String, $role: CircleRole) {\n    myMemberships(first: $first, after: $after, role: $role) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          role\n          circle {\n            id\n            name\n            status\n            city\n            memberCount\n            joinPolicy\n          }\n        }\n      }\n    }\n  }\n": typeof types.HostedCirclesDocument,
    "\n  subscription UnreadNotifications {\n    notifications {\n      id\n    }\n  }\n": typeof types.UnreadNotificationsDocument,
    "\n  query Feed($first: Int!, $after: String) {\n    feed(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...PostCardFields\n        }\n      }\n    }\n  }\n": typeof types.FeedDocument,
    "\n  mutation ReportContent($input: ReportContentInput!) {\n    reportContent(input: $input) {\n      report {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ReportContentDocument,
    "\n  fragment PostCardFields on Post {\n    id\n    kind\n    title\n    body\n    pinned\n    status\n    likeCount\n    commentCount\n    viewerHasLiked\n    createdAt\n    author {\n      id\n      nickname\n      avatarUrl\n      level\n    }\n    circle {\n      id\n      name\n    }\n    event {\n      id\n      title\n    }\n    images {\n      url\n      thumbnailUrl\n      width\n      height\n    }\n  }\n": typeof types.PostCardFieldsFragmentDoc,
    "\n  mutation LikePost($input: PostIdInput!) {\n    likePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.LikePostDocument,
    "\n  mutation UnlikePost($input: PostIdInput!) {\n    unlikePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UnlikePostDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    me {\n      id\n      nickname\n      avatarUrl\n      city\n      level\n      isBrandStaff\n      isVerifiedOwner\n    }\n    unreadNotificationCount\n  }\n": types.ViewerDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Logout {\n    logout(input: { allDevices: false }) {\n      revoked\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.LogoutDocument,
    "\n  query PendingCircles($first: Int!, $after: String) {\n    pendingCircles(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          kind\n          city\n          createdAt\n          host {\n            id\n            nickname\n          }\n        }\n      }\n    }\n  }\n": types.PendingCirclesDocument,
    "\n  mutation ReviewCircle($input: ReviewCircleInput!) {\n    reviewCircle(input: $input) {\n      circle {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ReviewCircleDocument,
    "\n  query HostedCircles($first: Int!, $after: String, $role: CircleRole) {\n    myMemberships(first: $first, after: $after, role: $role) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          role\n          circle {\n            id\n            name\n            status\n            city\n            memberCount\n            joinPolicy\n          }\n        }\n      }\n    }\n  }\n": types.HostedCirclesDocument,
    "\n  subscription UnreadNotifications {\n    notifications {\n      id\n    }\n  }\n": types.UnreadNotificationsDocument,
    "\n  query Feed($first: Int!, $after: String) {\n    feed(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...PostCardFields\n        }\n      }\n    }\n  }\n": types.FeedDocument,
    "\n  mutation ReportContent($input: ReportContentInput!) {\n    reportContent(input: $input) {\n      report {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ReportContentDocument,
    "\n  fragment PostCardFields on Post {\n    id\n    kind\n    title\n    body\n    pinned\n    status\n    likeCount\n    commentCount\n    viewerHasLiked\n    createdAt\n    author {\n      id\n      nickname\n      avatarUrl\n      level\n    }\n    circle {\n      id\n      name\n    }\n    event {\n      id\n      title\n    }\n    images {\n      url\n      thumbnailUrl\n      width\n      height\n    }\n  }\n": types.PostCardFieldsFragmentDoc,
    "\n  mutation LikePost($input: PostIdInput!) {\n    likePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.LikePostDocument,
    "\n  mutation UnlikePost($input: PostIdInput!) {\n    unlikePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UnlikePostDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    me {\n      id\n      nickname\n      avatarUrl\n      city\n      level\n      isBrandStaff\n      isVerifiedOwner\n    }\n    unreadNotificationCount\n  }\n"): (typeof documents)["\n  query Viewer {\n    me {\n      id\n      nickname\n      avatarUrl\n      city\n      level\n      isBrandStaff\n      isVerifiedOwner\n    }\n    unreadNotificationCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      user {\n        id\n      }\n      errors {\n        field\n        code\n        message\n        retryAfter\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout(input: { allDevices: false }) {\n      revoked\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout(input: { allDevices: false }) {\n      revoked\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PendingCircles($first: Int!, $after: String) {\n    pendingCircles(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          kind\n          city\n          createdAt\n          host {\n            id\n            nickname\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PendingCircles($first: Int!, $after: String) {\n    pendingCircles(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          kind\n          city\n          createdAt\n          host {\n            id\n            nickname\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewCircle($input: ReviewCircleInput!) {\n    reviewCircle(input: $input) {\n      circle {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReviewCircle($input: ReviewCircleInput!) {\n    reviewCircle(input: $input) {\n      circle {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostedCircles($first: Int!, $after: String, $role: CircleRole) {\n    myMemberships(first: $first, after: $after, role: $role) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          role\n          circle {\n            id\n            name\n            status\n            city\n            memberCount\n            joinPolicy\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query HostedCircles($first: Int!, $after: String, $role: CircleRole) {\n    myMemberships(first: $first, after: $after, role: $role) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          role\n          circle {\n            id\n            name\n            status\n            city\n            memberCount\n            joinPolicy\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription UnreadNotifications {\n    notifications {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription UnreadNotifications {\n    notifications {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Feed($first: Int!, $after: String) {\n    feed(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...PostCardFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Feed($first: Int!, $after: String) {\n    feed(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...PostCardFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportContent($input: ReportContentInput!) {\n    reportContent(input: $input) {\n      report {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReportContent($input: ReportContentInput!) {\n    reportContent(input: $input) {\n      report {\n        id\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostCardFields on Post {\n    id\n    kind\n    title\n    body\n    pinned\n    status\n    likeCount\n    commentCount\n    viewerHasLiked\n    createdAt\n    author {\n      id\n      nickname\n      avatarUrl\n      level\n    }\n    circle {\n      id\n      name\n    }\n    event {\n      id\n      title\n    }\n    images {\n      url\n      thumbnailUrl\n      width\n      height\n    }\n  }\n"): (typeof documents)["\n  fragment PostCardFields on Post {\n    id\n    kind\n    title\n    body\n    pinned\n    status\n    likeCount\n    commentCount\n    viewerHasLiked\n    createdAt\n    author {\n      id\n      nickname\n      avatarUrl\n      level\n    }\n    circle {\n      id\n      name\n    }\n    event {\n      id\n      title\n    }\n    images {\n      url\n      thumbnailUrl\n      width\n      height\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LikePost($input: PostIdInput!) {\n    likePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LikePost($input: PostIdInput!) {\n    likePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlikePost($input: PostIdInput!) {\n    unlikePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnlikePost($input: PostIdInput!) {\n    unlikePost(input: $input) {\n      post {\n        id\n        likeCount\n        viewerHasLiked\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;