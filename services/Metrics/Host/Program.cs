using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.Metrics;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults(MetricsService.Name);
builder.AddEventBus();
builder.AddMetricsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapMetricsService();

await app.RunAsync();
