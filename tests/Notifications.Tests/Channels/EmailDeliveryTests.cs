using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Channels;

public sealed class EmailDeliveryTests(NotificationsFixture suite) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task Email_to_contacts_by_role_arrives_rendered_with_subject_text_and_html()
    {
        var tag = Requests.Tag();
        var account = Requests.Account(tag);
        var request = Requests.Request("email", "renewal-champion-email", account, [new RecipientRule("contacts", Role: "admin")],
            new { vars = new { csmName = "Jordan Lee", meetingUrl = "https://meet.example/jordan" } });

        await suite.PublishAsync(request);

        var log = await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 2));
        var sent = await suite.Events.WaitForAsync(EventTypes.NotificationSent, request.InstanceId, count: 2);
        var ada = Assert.Single(suite.Smtp.ReceivedBy($"ada.{tag}@globex.example"));
        Assert.Single(suite.Smtp.ReceivedBy($"ben.{tag}@globex.example"));
        Assert.Empty(suite.Smtp.ReceivedBy($"chris.{tag}@globex.example")); // the champion is not an admin

        Assert.Equal("Planning ahead for Globex & Partners's renewal", ada.Subject);
        Assert.Equal($"Ada Martin <ada.{tag}@globex.example>", ada.To);
        Assert.Equal("Acme Customer Success <cs@playbooks.example>", ada.From);
        Assert.StartsWith("Hi Ada Martin,", ada.Text);
        Assert.Contains("renews on March 1, 2027", ada.Text);
        Assert.Contains("Pick a time here: https://meet.example/jordan", ada.Text);
        Assert.Contains("<strong>March 1, 2027</strong>", ada.Html);
        Assert.Contains("Globex &amp; Partners", ada.Html); // HTML bodies are escaped, subject and text are not
        var delivery = sent.Single(e => e.Recipient == $"ada.{tag}@globex.example");
        Assert.Equal($"<{delivery.DeliveryId}@playbooks.example>", ada.MessageId);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(account.Id, delivery.AccountId);
        Assert.All(log, entry => Assert.Equal(1, entry.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task The_same_request_delivered_twice_or_republished_sends_one_email()
    {
        var tag = Requests.Tag();
        var request = Requests.Request("email", "welcome-email", Requests.Account(tag), [new RecipientRule("address", Address: $"ada.{tag}@globex.example")]);

        var envelope = await suite.PublishAsync(request);
        await suite.PublishAsync(envelope);                  // the bus redelivers the same event
        await suite.PublishAsync(request);                   // the engine replays the activity: a new event, same instance and activity

        await suite.Events.WaitForAsync(EventTypes.NotificationSent, request.InstanceId, count: 1);
        // Give a duplicate every chance to show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(suite.Smtp.ReceivedBy($"ada.{tag}@globex.example"));
        Assert.Single(await suite.DeliveriesAsync(request.InstanceId));
        Assert.Single(suite.Events.Of(EventTypes.NotificationSent, request.InstanceId));
    }

    [Fact]
    public async Task Busy_mail_server_then_accepting_delivers_after_retries_with_attempts_recorded()
    {
        var tag = Requests.Tag();
        var address = $"ben.{tag}@globex.example";
        suite.Smtp.Refuse(address, "451 4.3.0 Mail server busy, try again later", times: 2);
        var request = Requests.Request("email", "adoption-nudge", Requests.Account(tag), [new RecipientRule("address", Address: address)]);

        await suite.PublishAsync(request);

        var log = await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1));
        Assert.Equal(3, log[0].GetProperty("attempts").GetInt32());
        Assert.Contains("451", log[0].GetProperty("lastError").GetString());
        Assert.Single(suite.Smtp.ReceivedBy(address));
        var sent = Assert.Single(await suite.Events.WaitForAsync(EventTypes.NotificationSent, request.InstanceId, count: 1));
        Assert.Equal(3, sent.Attempts);
    }

    [Fact]
    public async Task A_message_the_server_took_but_whose_answer_was_lost_is_not_sent_again_and_is_dead_lettered_as_unknown()
    {
        var tag = Requests.Tag();
        var address = $"dana.{tag}@globex.example";
        suite.Smtp.TakeThenHangUp(address, times: 1);
        var request = Requests.Request("email", "adoption-nudge", Requests.Account(tag), [new RecipientRule("address", Address: address)]);

        await suite.PublishAsync(request);

        var dead = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "dead", 1)))[0];
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("Whether it arrived is unknown", dead.GetProperty("lastError").GetString());
        Assert.Single(await suite.Events.WaitForAsync(EventTypes.NotificationFailed, request.InstanceId, count: 1));
        // Past a retry's backoff: the one copy the server took is the only one.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(suite.Smtp.ReceivedBy(address));
    }

    [Fact]
    public async Task A_template_whose_date_format_is_malformed_rejects_each_recipient_with_the_reason_instead_of_losing_the_request()
    {
        var tag = Requests.Tag();
        // The check on saving reads the references, not the format's quoting.
        var id = $"renewal-times-{tag}";
        var (created, body) = await suite.PostJsonAsync("/api/notifications/templates", new
        {
            id, name = "Renewal times", channel = "email", subject = "Renewal for {{account.name}}",
            textBody = "Renews {{formatDate account.renewalDate \"yyyy-MM-dd 'at noon\"}}", htmlBody = "<p>Renews soon</p>",
        });
        Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, body.ToString());
        var request = Requests.Request("email", id, Requests.Account(tag), [new RecipientRule("contacts", Role: "admin"), new RecipientRule("contacts", Role: "champion")]);

        await suite.PublishAsync(request);

        var rejected = await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "rejected", 3)); // one admin, two champions
        Assert.All(rejected, delivery => Assert.Contains($"Template '{id}' failed to render", delivery.GetProperty("lastError").GetString()));
        Assert.Empty(suite.Smtp.ReceivedBy($"ada.{tag}@globex.example"));
    }

    [Fact]
    public async Task Refused_recipient_is_dead_lettered_with_the_reason_and_a_retry_through_the_api_sends_it()
    {
        var tag = Requests.Tag();
        var address = $"chris.{tag}@globex.example";
        suite.Smtp.Refuse(address, "550 5.1.1 Mailbox does not exist", times: 1);
        var request = Requests.Request("email", "welcome-email", Requests.Account(tag), [new RecipientRule("contacts", Role: "champion")]);

        await suite.PublishAsync(request);

        var dead = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "dead", 1)))[0];
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32()); // permanent: no retries
        Assert.Contains("550 5.1.1 Mailbox does not exist", dead.GetProperty("lastError").GetString());
        var failed = Assert.Single(await suite.Events.WaitForAsync(EventTypes.NotificationFailed, request.InstanceId, count: 1));
        Assert.Contains("550", failed.Error);
        Assert.Empty(suite.Smtp.ReceivedBy(address));

        var id = dead.GetProperty("id").GetString();
        var (retry, _) = await suite.PostJsonAsync($"/api/notifications/deliveries/{id}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, retry.StatusCode);

        var sent = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1)))[0];
        Assert.Equal(2, sent.GetProperty("attempts").GetInt32());
        Assert.Single(suite.Smtp.ReceivedBy(address));

        var (again, problem) = await suite.PostJsonAsync($"/api/notifications/deliveries/{id}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("would send it twice", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Non_ascii_subjects_and_names_arrive_intact()
    {
        var tag = Requests.Tag();
        var id = $"cafe-{tag}";
        await suite.Client.PutAsync($"/api/notifications/templates/{id}", new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new { name = "Café", channel = "email", subject = "Équipe {{account.name}} — un café ☕ avec {{contact.name}}, pour parler de votre renouvellement prévu",
                textBody = "Bonjour {{contact.name}} — à bientôt ☕" }),
            System.Text.Encoding.UTF8, "application/json"));
        var account = Requests.Account(tag) with { Contacts = [new AccountContact("Zoë Ångström-Øvergaard", $"zoe.{tag}@globex.example", "admin")] };
        var request = Requests.Request("email", id, account, [new RecipientRule("contacts")]);

        await suite.PublishAsync(request);

        await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1));
        var mail = Assert.Single(suite.Smtp.ReceivedBy($"zoe.{tag}@globex.example"));
        Assert.Equal("Équipe Globex & Partners — un café ☕ avec Zoë Ångström-Øvergaard, pour parler de votre renouvellement prévu", mail.Subject);
        Assert.Equal($"Zoë Ångström-Øvergaard <zoe.{tag}@globex.example>", mail.To);
        Assert.Equal("Bonjour Zoë Ångström-Øvergaard — à bientôt ☕", mail.Text?.TrimEnd());
        Assert.Null(mail.Html);
    }
}
