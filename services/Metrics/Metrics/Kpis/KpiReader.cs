using System.Data.Common;
using Playbooks.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Where a KPI reads its figures: the service's database.</summary>
internal sealed class KpiReader(ServiceDatabase database)
{
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);
}
