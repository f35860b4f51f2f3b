/** Who is signed in (the `me` query), and login/logout that reopen the API client. */
import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import { useApiControl } from "../api/ApiProvider";
import type { PayloadError } from "../api/errors";
import { graphql } from "../gql";
import type { ViewerQuery } from "../gql/graphql";

export const VIEWER = graphql(`
  query Viewer {
    me {
      id
      nickname
      avatarUrl
      city
      level
      isBrandStaff
      isVerifiedOwner
    }
    unreadNotificationCount
  }
`);

const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      user {
        id
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

const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      user {
        id
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

const LOGOUT = graphql(`
  mutation Logout {
    logout(input: { allDevices: false }) {
      revoked
      errors {
        code
        message
      }
    }
  }
`);

export type Viewer = NonNullable<ViewerQuery["me"]>;

export interface AuthResult {
  ok: boolean;
  errors: PayloadError[];
  networkError?: import("urql").CombinedError;
}

interface Session {
  viewer: Viewer | null;
  unreadCount: number;
  /** Changes whenever the server counted the unread notifications again. */
  countedAt: unknown;
  loading: boolean;
  login: (username: string, password: string) => Promise<AuthResult>;
  register: (input: {
    username: string;
    password: string;
    nickname: string;
    city?: string;
    inviteCode?: string;
  }) => Promise<AuthResult>;
  logout: () => Promise<void>;
  refresh: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { reconnect } = useApiControl();
  const [viewer, refetchViewer] = useQuery({ query: VIEWER });
  const [, loginMutation] = useMutation(LOGIN);
  const [, registerMutation] = useMutation(REGISTER);
  const [, logoutMutation] = useMutation(LOGOUT);

  const login = useCallback(
    async (username: string, password: string): Promise<AuthResult> => {
      const result = await loginMutation({ input: { username, password } });
      const errors = result.data?.login?.errors ?? [];
      const ok = !result.error && errors.length === 0 && Boolean(result.data?.login?.user);
      if (ok) reconnect();
      return { ok, errors, networkError: result.error };
    },
    [loginMutation, reconnect],
  );

  const register = useCallback<Session["register"]>(
    async (input) => {
      const result = await registerMutation({
        input: { ...input, city: input.city || null, inviteCode: input.inviteCode || null },
      });
      const errors = result.data?.register?.errors ?? [];
      const ok = !result.error && errors.length === 0 && Boolean(result.data?.register?.user);
      if (ok) reconnect();
      return { ok, errors, networkError: result.error };
    },
    [registerMutation, reconnect],
  );

  const logout = useCallback(async () => {
    await logoutMutation({});
    reconnect();
  }, [logoutMutation, reconnect]);

  const refresh = useCallback(() => refetchViewer({ requestPolicy: "network-only" }), [refetchViewer]);

  const value = useMemo<Session>(
    () => ({
      viewer: viewer.data?.me ?? null,
      unreadCount: viewer.data?.unreadNotificationCount ?? 0,
      countedAt: viewer.data,
      loading: viewer.fetching && !viewer.data,
      login,
      register,
      logout,
      refresh,
    }),
    [viewer, login, register, logout, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
