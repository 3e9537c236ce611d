// `/cobro link <project>`: the channel where the command was typed becomes the project's channel.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { findProjectByReference, setProjectChannel } from "./repo.ts";

export async function linkProjectChannel(
  ctx: Ctx,
  input: { project: string; channelId: string },
): Promise<{
  alreadyDone: boolean;
  projectCode: string;
  projectName: string;
  previousChannelId: string | null;
}> {
  if (!/^[CG][A-Z0-9]{2,}$/.test(input.channelId)) {
    throw new DomainError("project.channel", `cannot link ${input.channelId}`, {
      userMessage: "Run `/cobro link <project>` in a public or private channel, not in a direct message.",
      messageKey: "invoicing.error.link_not_in_channel",
    });
  }
  const { workspaceId, actor } = ctx;
  return ctx.db.transaction(async (tx) => {
    const project = await findProjectByReference(tx, workspaceId, input.project);
    assertAllowed(actor, { action: "linkChannel", projectPmMemberId: project.pmMemberId });
    const base = {
      projectCode: project.code,
      projectName: project.name,
      previousChannelId: project.slackChannelId,
    };
    if (project.slackChannelId === input.channelId) return { alreadyDone: true, ...base };
    await setProjectChannel(tx, workspaceId, project.id, { id: input.channelId, at: ctx.now() });
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(actor),
      action: "project.channel_linked",
      entity: "project",
      entityId: project.id,
      before: { slackChannelId: project.slackChannelId },
      after: { slackChannelId: input.channelId },
    });
    return { alreadyDone: false, ...base };
  });
}
