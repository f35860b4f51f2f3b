import { Fragment } from "react";

/** Splits `@nickname` mentions out of a text (nicknames end at whitespace or punctuation). */
export function splitMentions(text: string): Array<{ text: string; mention: boolean }> {
  const parts: Array<{ text: string; mention: boolean }> = [];
  const pattern = /@[^\s@,，。.!！?？:：;；、()（）]+/gu;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), mention: false });
    parts.push({ text: match[0], mention: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mention: false });
  return parts;
}

export function RichText({ text }: { text: string }) {
  return (
    <>
      {splitMentions(text).map((part, index) =>
        part.mention ? (
          <span key={index} className="mention">
            {part.text}
          </span>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
