using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.Notifications;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(NotificationsService.Name);
builder.AddEventBus();
builder.AddNotificationsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapNotificationsService();

await app.RunAsync();
