import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { VehicleCategory } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatDate } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const MY_PROFILE = graphql(`
  query MyProfile {
    me {
      id
      nickname
      avatarUrl
      city
      bio
      level
      isVerifiedOwner
      isBrandStaff
      joinedAt
      followerCount
      followingCount
      vehicles {
        id
        model
        category
        purchasedOn
        verified
      }
    }
  }
`);

const MY_CIRCLES = graphql(`
  query MyCircles($first: Int!, $after: String) {
    myMemberships(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          role
          circle {
            id
            name
            memberCount
          }
        }
      }
    }
  }
`);

const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      user {
        id
        nickname
        avatarUrl
        city
        bio
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const ADD_VEHICLE = graphql(`
  mutation AddVehicle($input: AddVehicleInput!) {
    addVehicle(input: $input) {
      vehicle {
        id
        model
        category
        purchasedOn
        verified
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

function ProfileForm({ me }: { me: { nickname: string; city?: string | null; bio?: string | null } }) {
  const { t } = useTranslation("owner");
  const { refresh } = useSession();
  const [values, setValues] = useState({ nickname: me.nickname, city: me.city ?? "", bio: me.bio ?? "" });
  const [avatar, setAvatar] = useState<File | null>(null);
  const [saved, setSaved] = useState(false);
  const [, update] = useMutation(UPDATE_PROFILE);
  const form = useMutationForm(["nickname", "city", "bio", "avatar"]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const ok = await form.run(
      () => update({ input: { ...values, ...(avatar ? { avatar } : {}) } }),
      (r) => r.data?.updateProfile?.errors,
    );
    if (ok) {
      setSaved(true);
      setAvatar(null);
      refresh();
    }
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">{t("profile.edit")}</h2>
      <FormErrors errors={form.errors.form} />
      {saved && <p role="status" className="tag tag-ok">{t("profile.saved")}</p>}
      <Field label={t("profile.nickname")} error={form.errors.fields.nickname}>
        {(props) => <input {...props} value={values.nickname} onChange={(e) => setValues({ ...values, nickname: e.target.value })} />}
      </Field>
      <Field label={t("profile.city")} error={form.errors.fields.city}>
        {(props) => <input {...props} value={values.city} onChange={(e) => setValues({ ...values, city: e.target.value })} />}
      </Field>
      <Field label={t("profile.bio")} error={form.errors.fields.bio}>
        {(props) => <textarea {...props} rows={3} value={values.bio} onChange={(e) => setValues({ ...values, bio: e.target.value })} />}
      </Field>
      <Field label={t("profile.avatar")} error={form.errors.fields.avatar} hint={t("profile.avatarHint")}>
        {(props) => (
          <input {...props} type="file" accept="image/jpeg,image/png,image/webp,image/gif" onChange={(e) => setAvatar(e.target.files?.[0] ?? null)} />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={form.submitting}>
        {t("common:actions.save")}
      </button>
    </form>
  );
}

function VehicleForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation("owner");
  const [values, setValues] = useState({ model: "", category: "PASSENGER" as VehicleCategory, purchasedOn: "", vinSuffix: "" });
  const [, add] = useMutation(ADD_VEHICLE);
  const form = useMutationForm(["model", "category", "purchasedOn", "vinSuffix"]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.run(
      () =>
        add({
          input: {
            model: values.model,
            category: values.category,
            purchasedOn: values.purchasedOn || null,
            vinSuffix: values.vinSuffix || null,
          },
        }),
      (r) => r.data?.addVehicle?.errors,
    );
    if (ok) {
      setValues({ model: "", category: "PASSENGER", purchasedOn: "", vinSuffix: "" });
      onAdded();
    }
  }
  return (
    <form onSubmit={submit} aria-labelledby="vehicle-form-title">
      <h3 id="vehicle-form-title">{t("vehicles.add")}</h3>
      <FormErrors errors={form.errors.form} />
      <Field label={t("vehicles.model")} error={form.errors.fields.model}>
        {(props) => <input {...props} value={values.model} onChange={(e) => setValues({ ...values, model: e.target.value })} />}
      </Field>
      <Field label={t("vehicles.category")} error={form.errors.fields.category}>
        {(props) => (
          <select {...props} value={values.category} onChange={(e) => setValues({ ...values, category: e.target.value as VehicleCategory })}>
            <option value="PASSENGER">{t("vehicles.categories.PASSENGER")}</option>
            <option value="COMMERCIAL">{t("vehicles.categories.COMMERCIAL")}</option>
          </select>
        )}
      </Field>
      <Field label={t("vehicles.purchasedOn")} error={form.errors.fields.purchasedOn}>
        {(props) => <input {...props} type="date" value={values.purchasedOn} onChange={(e) => setValues({ ...values, purchasedOn: e.target.value })} />}
      </Field>
      <Field label={t("vehicles.vinSuffix")} error={form.errors.fields.vinSuffix} hint={t("vehicles.vinHint")}>
        {(props) => <input {...props} value={values.vinSuffix} maxLength={6} onChange={(e) => setValues({ ...values, vinSuffix: e.target.value })} />}
      </Field>
      <button type="submit" className="button primary" disabled={form.submitting}>
        {t("vehicles.submit")}
      </button>
    </form>
  );
}

function MyCircles() {
  const { t } = useTranslation("owner");
  const circles = useConnection(MY_CIRCLES, { first: 10 }, (data) => data.myMemberships);
  return (
    <section className="card" aria-labelledby="my-circles-title">
      <h2 id="my-circles-title">{t("profile.myCircles")}</h2>
      {circles.loading && <Loading />}
      <ErrorMessage error={circles.error} />
      {!circles.loading && circles.nodes.length === 0 && (
        <Empty>
          <Link to="/circles">{t("profile.findCircles")}</Link>
        </Empty>
      )}
      <ul className="list">
        {circles.nodes.map((m) => (
          <li key={m.id} className="spread">
            <Link to={`/circles/${m.circle.id}`}>{m.circle.name}</Link>
            <span className="tag">{t(`circles.roles.${m.role}`)}</span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={circles.hasMore} loading={circles.loadingMore} onMore={circles.loadMore} auto={false} />
    </section>
  );
}

export function ProfilePage() {
  const { t, i18n } = useTranslation("owner");
  const { logout } = useSession();
  const [result, refetch] = useQuery({ query: MY_PROFILE });
  const [formKey, setFormKey] = useState(0);
  const me = result.data?.me;
  useEffect(() => setFormKey((k) => k + 1), [me?.id]);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!me) return <Empty />;
  return (
    <section aria-labelledby="profile-title">
      <div className="card post-header">
        <Avatar url={me.avatarUrl} name={me.nickname} size={64} />
        <div>
          <h1 id="profile-title">
            {me.nickname} <span className="level">Lv{me.level}</span>
          </h1>
          <p className="row small">
            {me.isVerifiedOwner && <span className="tag tag-ok">{t("profile.verifiedOwner")}</span>}
            {me.isBrandStaff && <span className="tag">{t("profile.brandStaff")}</span>}
            {me.city && <span className="tag">{me.city}</span>}
            <span className="muted">{t("profile.joined", { date: formatDate(me.joinedAt, i18n.language) })}</span>
          </p>
          <p className="small">
            <Link to={`/users/${encodeURIComponent(me.id)}/followers`}>{t("profile.followers", { count: me.followerCount })}</Link> ·{" "}
            <Link to={`/users/${encodeURIComponent(me.id)}/following`}>{t("profile.following", { count: me.followingCount })}</Link>
          </p>
          {me.bio && <p>{me.bio}</p>}
        </div>
      </div>
      <nav className="row card" aria-label={t("profile.shortcuts")}>
        <Link to="/points">{t("points.title")}</Link>
        <Link to="/events?tab=mine">{t("events.tab.mine")}</Link>
        <Link to="/ties">{t("ties.title")}</Link>
        <Link to="/notifications">{t("notifications.title")}</Link>
        <Link to="/me/settings">{t("account:settings.link")}</Link>
        <Link to="/messages">{t("messages:list.title")}</Link>
        <Link to="/me/blocked">{t("messages:blocked.link")}</Link>
        <Link to="/host">{t("common:nav.host")}</Link>
        {me.isBrandStaff && <Link to="/brand">{t("common:nav.brand")}</Link>}
        <button type="button" className="button ghost small" onClick={() => void logout()}>
          {t("common:nav.logout")}
        </button>
      </nav>
      <MyCircles />
      <section className="card" aria-labelledby="vehicles-title">
        <h2 id="vehicles-title">{t("vehicles.title")}</h2>
        {me.vehicles.length === 0 && <Empty>{t("vehicles.empty")}</Empty>}
        <ul className="list">
          {me.vehicles.map((vehicle) => (
            <li key={vehicle.id} className="spread" data-testid="vehicle">
              <span>
                {vehicle.model} · {t(`vehicles.categories.${vehicle.category}`)}
                {vehicle.purchasedOn && ` · ${formatDate(vehicle.purchasedOn, i18n.language)}`}
              </span>
              <span className={`tag${vehicle.verified ? " tag-ok" : " tag-warn"}`}>
                {vehicle.verified ? t("vehicles.verified") : t("vehicles.pending")}
              </span>
            </li>
          ))}
        </ul>
        <VehicleForm onAdded={() => refetch({ requestPolicy: "network-only" })} />
      </section>
      <ProfileForm key={formKey} me={me} />
    </section>
  );
}
