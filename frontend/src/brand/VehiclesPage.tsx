/** Vehicle verification: the vehicles owners added that no one has checked yet, oldest first. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import type { NodeOf } from "../areas/common";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { BrandPendingVehiclesQuery } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { PagedList } from "../ui/states";

const BRAND_PENDING_VEHICLES = graphql(`
  query BrandPendingVehicles($first: Int!, $after: String) {
    pendingVehicles(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          model
          category
          purchasedOn
          vinSuffix
          addedAt
          verified
          owner {
            id
            nickname
            city
          }
        }
      }
    }
  }
`);

const BRAND_VERIFY_VEHICLE = graphql(`
  mutation BrandVerifyVehicle($input: VehicleIdInput!) {
    verifyVehicle(input: $input) {
      vehicle {
        id
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

type PendingVehicle = NodeOf<BrandPendingVehiclesQuery["pendingVehicles"]>;

export function VehiclesPage() {
  const { t } = useTranslation("brand");
  const vehicles = useConnection(BRAND_PENDING_VEHICLES, { first: 20 }, (data) => data.pendingVehicles);
  // A verified vehicle leaves the queue when the list refetches: say so above the list.
  const [lastVerified, setLastVerified] = useState<PendingVehicle | null>(null);
  return (
    <section aria-labelledby="vehicles-title">
      <h1 id="vehicles-title">{t("vehicles.title")}</h1>
      <p className="muted small">{t("vehicles.intro")}</p>
      <p role="status" className="ok-text" data-testid="vehicle-verified">
        {lastVerified && t("vehicles.verifiedOne", { model: lastVerified.model, owner: lastVerified.owner.nickname })}
      </p>
      <PagedList list={vehicles} empty={t("vehicles.empty")} testId="pending-vehicles">
        {(vehicle) => <VehicleCard vehicle={vehicle} onVerified={setLastVerified} />}
      </PagedList>
    </section>
  );
}

function VehicleCard({ vehicle, onVerified }: { vehicle: PendingVehicle; onVerified: (vehicle: PendingVehicle) => void }) {
  const { t, i18n } = useTranslation("brand");
  const [, verify] = useMutation(BRAND_VERIFY_VEHICLE);
  const form = useMutationForm(["vehicleId"]);
  const [verified, setVerified] = useState(false);
  async function submit() {
    const ok = await form.run(
      () => verify({ input: { vehicleId: vehicle.id } }),
      (r) => r.data?.verifyVehicle?.errors,
    );
    if (ok) {
      setVerified(true);
      onVerified(vehicle);
    }
  }
  const errors = [...form.errors.form, ...(form.errors.fields.vehicleId ? [form.errors.fields.vehicleId] : [])];
  return (
    <li className="card" data-testid="pending-vehicle">
      <div className="spread">
        <strong>{vehicle.model}</strong>
        <span className="tag">{t(`vehicles.category.${vehicle.category}`)}</span>
      </div>
      <p className="muted small">
        {vehicle.owner.nickname}
        {vehicle.owner.city && ` · ${vehicle.owner.city}`} · {t("vehicles.added", { when: formatDateTime(vehicle.addedAt, i18n.language) })}
      </p>
      <p className="small">
        {t("vehicles.vin")}: {vehicle.vinSuffix ?? t("vehicles.noVin")}
        {vehicle.purchasedOn && ` · ${t("vehicles.purchased", { when: vehicle.purchasedOn })}`}
      </p>
      <FormErrors errors={errors} />
      {verified ? (
        <p role="status" className="ok-text">
          {t("vehicles.verified")}
        </p>
      ) : (
        <button type="button" className="button primary small" disabled={form.submitting} onClick={() => void submit()}>
          {t("vehicles.verify")}
        </button>
      )}
    </li>
  );
}
