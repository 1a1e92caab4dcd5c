/** A spec whose every text tries to break out of HTML, attribute, SVG, JS string and Markdown contexts. */
export const HOSTILE = `<script>alert("doc")</script> "'><img src=x onerror=alert(1)> \`\${alert(2)}\` ]]></svg></title>{{x}} | *bold* \u202e evil`;

export function hostileSpec(): Record<string, string> {
  return {
    "evil/hostile.json": JSON.stringify({
      $schema: "../schema/registers.schema.json",
      kind: "registers",
      name: "evil.hostile",
      doc: HOSTILE,
      source: HOSTILE,
      registers: {
        R: {
          index: "0x10",
          width: 32,
          access: "rw",
          reset: "0x5",
          doc: HOSTILE,
          fields: {
            f: { bits: "3:0", doc: HOSTILE, enum: { A: 1, B: 5 } },
            g: { bits: "7:4", doc: HOSTILE },
          },
          reserved: [{ bits: "31:8", policy: "res0", doc: HOSTILE }],
        },
      },
    }),
  };
}
