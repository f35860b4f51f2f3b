/** A circle's kind, city, join policy, privacy and member count as a row of tags (list and page alike). */
import { useTranslation } from "react-i18next";

export interface TaggedCircle {
  kind: string;
  city?: string | null;
  joinPolicy: string;
  visibility: string;
  memberCount: number;
}

export function CircleTags({ circle }: { circle: TaggedCircle }) {
  const { t } = useTranslation("owner");
  return (
    <p className="row small">
      <span className="tag">{t(`circles.kinds.${circle.kind}`)}</span>
      {circle.city && <span className="tag">{circle.city}</span>}
      <span className="tag">{t(`circles.policies.${circle.joinPolicy}`)}</span>
      {circle.visibility === "PRIVATE" && <span className="tag">{t("circles.private")}</span>}
      <span className="muted">{t("circles.members", { count: circle.memberCount })}</span>
    </p>
  );
}
