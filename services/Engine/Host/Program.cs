using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.Engine;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults(EngineService.Name);
builder.AddEventBus();
builder.AddEngineService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapEngineService();

await app.RunAsync();
