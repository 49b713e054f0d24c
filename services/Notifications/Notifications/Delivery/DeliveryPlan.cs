namespace Playbooks.Notifications.Delivery;

/// <summary>The deliveries a request makes (pending ones and rejected ones with their reason) and the problems found.</summary>
/// <param name="Problems">Keyed by the request field to fix, e.g. <c>recipients[1].address</c>.</param>
public sealed record DeliveryPlan(IReadOnlyList<DeliveryRecord> Deliveries, IReadOnlyList<PlanProblem> Problems);

public sealed record PlanProblem(string Field, string Message);
