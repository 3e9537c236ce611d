// "Share in channel": the report as it is now, posted once per report message and person (the
// click is claimed first; released when the post fails, so a second click can try again).
import type { SlackCtx, SlackPort } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { claimClick } from "../workspace/index.ts";
import { type AgingReportResult, type AgingRequest, buildAgingReport } from "./build-aging-report.ts";

type Post = Omit<Parameters<SlackPort["postMessage"]>[0], "channel">;

/** Permission: viewAging, checked by the report before it is posted. */
export async function shareAgingReport(
  ctx: SlackCtx,
  input: {
    request: AgingRequest & { topDebtors: number };
    channel: string;
    clickKey: string;
    render: (shown: AgingReportResult) => Post;
  },
): Promise<{ status: "shared" | "alreadyShared" | "notInChannel" }> {
  const click = await claimClick(ctx.db, input.clickKey);
  if (!click.claimed) return { status: "alreadyShared" };
  try {
    const shown = await buildAgingReport(ctx, input.request);
    await ctx.slack.postMessage({ channel: input.channel, ...input.render(shown) });
  } catch (error) {
    await click.release();
    if (isDomainError(error) && error.code === "slack.not_in_channel") return { status: "notInChannel" };
    throw error;
  }
  return { status: "shared" };
}
