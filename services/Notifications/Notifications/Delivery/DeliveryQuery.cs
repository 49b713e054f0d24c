namespace Playbooks.Notifications.Delivery;

/// <summary>A filter and a page of the delivery log.</summary>
public sealed record DeliveryQuery(string? Instance, string? Account, string? Status, string? Channel, string? Recipient, int Page, int PageSize)
{
    public int Offset => (Page - 1) * PageSize;
}
