export function Avatar({ url, name, size = 40 }: { url?: string | null; name: string; size?: number }) {
  if (url) {
    return <img className="avatar" src={url} alt="" width={size} height={size} loading="lazy" />;
  }
  return (
    <span className="avatar avatar-initial" style={{ width: size, height: size, fontSize: size * 0.45 }} aria-hidden="true">
      {name.slice(0, 1)}
    </span>
  );
}
