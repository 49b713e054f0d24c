using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.Engine;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(EngineService.Name);
builder.AddEventBus();
builder.AddEngineService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapEngineService();

await app.RunAsync();
