using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.Notifications;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults(NotificationsService.Name);
builder.AddEventBus();
builder.AddNotificationsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapNotificationsService();

await app.RunAsync();
