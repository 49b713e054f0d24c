using System.Data.Common;
using Playbooks.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>What a KPI needs to read its figures: the service's database and configuration.</summary>
internal sealed class KpiReader(ServiceDatabase database, MetricsOptions options)
{
    public MetricsOptions Options => options;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);
}
