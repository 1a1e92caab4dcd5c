import type { Group } from "../../model/index.ts";
import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import { cAddressMacro, cAddressValue, groupLength, rangePhrase } from "../../elaborate/spaces.ts";
import { blockComment, commentLines } from "./comment.ts";
import { cIdent, cTypeTag, storageType } from "./names.ts";
import { render } from "./templates.ts";
import { cGroupTag, cRegisterMember, cShapeNames } from "../../elaborate/names/c.ts";

/**
 * A group as Xen declares the blocks of msr_domain_policy: a raw array over the index range in a
 * union with a struct of the member registers, so sizeof of both sides is real.
 */
export function generateGroup(g: Group, spec: ElabRegistersSpec): string {
  const regs = g.registers.map((n) => spec.registers.find((r) => r.name === n)!);
  const width = regs[0]?.width ?? 64;
  const count = groupLength(spec.space, width, g.first, g.last);
  const what = `Group ${g.qname}: ${regs.length} register${regs.length === 1 ? "" : "s"}, ` +
    `${rangePhrase(spec.space, g.first, g.last)}; available when ${g.available.text}.`;
  return render("group", {
    comment: blockComment([...commentLines(what), ...commentLines(g.doc)]),
    tag: cIdent(cGroupTag(g), "group C name"),
    elementType: storageType(width),
    count: String(count),
    members: regs.map((r) => ({
      address: cAddressValue(r),
      register: cAddressMacro(r),
      type: cTypeTag(r),
      name: cIdent(cRegisterMember(r), "register C name"),
    })),
  }).trimEnd();
}
