import type { WorkflowServices } from './services.js';

/**
 * The services as the ISP API sees them: when the workflow offers checklist counts, each /activity
 * row carries its incident's counts (null when no checklist was sent). Counts only: which answer
 * went to which question stays at the center.
 */
export function withChecklistCounts(services: WorkflowServices): WorkflowServices {
  const counts = services.checklistCounts;
  if (counts === undefined) return services;
  return {
    ...services,
    async siteActivity(storage, ispId, opts) {
      const [rows, byId] = await Promise.all([services.siteActivity(storage, ispId, opts), counts(storage, ispId)]);
      return rows.map((r) => ({ ...r, checklist: byId.get(r.trackingId) ?? null }));
    },
  };
}
