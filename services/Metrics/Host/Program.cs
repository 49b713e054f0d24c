using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.Metrics;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(MetricsService.Name);
builder.AddEventBus();
builder.AddMetricsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapMetricsService();

await app.RunAsync();
