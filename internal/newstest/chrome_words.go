package newstest

// siteWords are the strings of a real news site's chrome around the
// article, per language: the menu, the consent dialog, the newsletter
// form, reader comments and the footer.
type siteWords struct {
	sections                              [10]string
	mostRead, readMore, video             string
	newsletter, newsletterText, subscribe string
	email, search, login, send            string
	consent, accept, settings             string
	commentsHead, reply, like             string
	comments                              [6]string // reader comments, none about the article's topics
	names                                 [6]string // commenters
	footer                                [8]string
}

var siteChrome = map[string]siteWords{
	"en": {
		sections: [10]string{"Politics", "World", "Business", "Society", "Culture", "Sports", "Science", "Health", "Travel", "Opinion"},
		mostRead: "Most read", readMore: "Read more", video: "Video",
		newsletter: "Get the morning briefing", newsletterText: "The day's top stories in your inbox every morning.", subscribe: "Subscribe",
		email: "Your email address", search: "Search", login: "Log in", send: "Send",
		consent: "We use cookies and similar technologies to personalise content and ads, to provide social media features and to analyse our traffic. You can change your choices at any time in the privacy settings.",
		accept:  "Accept all", settings: "Manage settings",
		commentsHead: "Reader comments", reply: "Reply", like: "Like",
		comments: [6]string{
			"Thank you for this report, it is important that people know what is happening.",
			"I hope the authorities keep up the work and that the families get support.",
			"Very informative article, I shared it with my colleagues.",
			"Why does it take so long to change anything? We read these stories every year.",
			"Good to see countries working together on this.",
			"Could you publish a follow-up in a few months?",
		},
		names:  [6]string{"Minh Anh", "John Carter", "Sarah L.", "Hoang Nam", "Reader2026", "Peter W."},
		footer: [8]string{"About us", "Contact", "Advertise", "Terms of use", "Privacy policy", "RSS", "Careers", "Sitemap"},
	},
	"vi": {
		sections: [10]string{"Chính trị", "Thế giới", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao", "Khoa học", "Sức khỏe", "Du lịch", "Bạn đọc"},
		mostRead: "Đọc nhiều nhất", readMore: "Xem thêm", video: "Video",
		newsletter: "Nhận bản tin buổi sáng", newsletterText: "Những tin tức nổi bật nhất trong ngày gửi đến hộp thư của bạn mỗi sáng.", subscribe: "Đăng ký",
		email: "Địa chỉ email của bạn", search: "Tìm kiếm", login: "Đăng nhập", send: "Gửi",
		consent: "Chúng tôi sử dụng cookie và các công nghệ tương tự để cá nhân hóa nội dung và quảng cáo, cung cấp tính năng mạng xã hội và phân tích lưu lượng truy cập. Bạn có thể thay đổi lựa chọn bất cứ lúc nào trong phần cài đặt quyền riêng tư.",
		accept:  "Đồng ý tất cả", settings: "Tùy chỉnh",
		commentsHead: "Ý kiến bạn đọc", reply: "Trả lời", like: "Thích",
		comments: [6]string{
			"Cảm ơn bài viết, mọi người cần biết những chuyện này.",
			"Mong các cơ quan chức năng tiếp tục vào cuộc và hỗ trợ các gia đình.",
			"Bài viết rất bổ ích, tôi đã chia sẻ cho đồng nghiệp.",
			"Sao năm nào cũng đọc những tin như thế này mà chẳng thay đổi gì?",
			"Rất vui khi thấy các nước cùng chung tay trong lĩnh vực này.",
			"Mong báo có bài theo dõi tiếp sau vài tháng.",
		},
		names:  [6]string{"Minh Anh", "Nguyễn Văn Hùng", "Lan Phương", "Hoàng Nam", "Bạn đọc Hà Nội", "Trần Thu"},
		footer: [8]string{"Giới thiệu", "Liên hệ", "Quảng cáo", "Điều khoản sử dụng", "Chính sách bảo mật", "RSS", "Tuyển dụng", "Sơ đồ trang"},
	},
	"fr": {
		sections: [10]string{"Politique", "Monde", "Économie", "Société", "Culture", "Sports", "Sciences", "Santé", "Voyage", "Opinions"},
		mostRead: "Les plus lus", readMore: "Lire aussi", video: "Vidéo",
		newsletter: "Recevez le briefing du matin", newsletterText: "L'essentiel de l'actualité dans votre boîte mail chaque matin.", subscribe: "S'abonner",
		email: "Votre adresse e-mail", search: "Rechercher", login: "Se connecter", send: "Envoyer",
		consent: "Nous utilisons des cookies et des technologies similaires pour personnaliser les contenus et les publicités, proposer des fonctionnalités de réseaux sociaux et analyser notre trafic. Vous pouvez modifier vos choix à tout moment dans les paramètres de confidentialité.",
		accept:  "Tout accepter", settings: "Paramétrer",
		commentsHead: "Commentaires des lecteurs", reply: "Répondre", like: "J'aime",
		comments: [6]string{
			"Merci pour cet article, il est important que l'on sache ce qui se passe.",
			"J'espère que les autorités poursuivront leurs efforts et aideront les familles.",
			"Article très instructif, je l'ai partagé avec mes collègues.",
			"Pourquoi faut-il autant de temps pour que les choses changent ?",
			"Heureux de voir des pays travailler ensemble sur ce sujet.",
			"Pourriez-vous publier une suite dans quelques mois ?",
		},
		names:  [6]string{"Claire D.", "Jean-Marc", "Sophie L.", "Nguyen Minh", "Lecteur75", "Pierre B."},
		footer: [8]string{"Qui sommes-nous", "Contact", "Publicité", "Conditions d'utilisation", "Politique de confidentialité", "RSS", "Recrutement", "Plan du site"},
	},
	"es": {
		sections: [10]string{"Política", "Mundo", "Economía", "Sociedad", "Cultura", "Deportes", "Ciencia", "Salud", "Viajes", "Opinión"},
		mostRead: "Lo más leído", readMore: "Lea también", video: "Vídeo",
		newsletter: "Reciba el boletín de la mañana", newsletterText: "Las noticias más importantes del día en su correo cada mañana.", subscribe: "Suscribirse",
		email: "Su correo electrónico", search: "Buscar", login: "Iniciar sesión", send: "Enviar",
		consent: "Utilizamos cookies y tecnologías similares para personalizar el contenido y los anuncios, ofrecer funciones de redes sociales y analizar nuestro tráfico. Puede cambiar sus preferencias en cualquier momento en la configuración de privacidad.",
		accept:  "Aceptar todo", settings: "Configurar",
		commentsHead: "Comentarios de los lectores", reply: "Responder", like: "Me gusta",
		comments: [6]string{
			"Gracias por este reportaje, es importante que la gente sepa lo que ocurre.",
			"Espero que las autoridades sigan trabajando y que las familias reciban apoyo.",
			"Artículo muy informativo, lo he compartido con mis compañeros.",
			"¿Por qué tarda tanto en cambiar algo? Leemos estas historias cada año.",
			"Me alegra ver a los países trabajar juntos en este tema.",
			"¿Podrían publicar un seguimiento dentro de unos meses?",
		},
		names:  [6]string{"María G.", "Carlos R.", "Lucía M.", "Nguyen Anh", "Lector2026", "Javier P."},
		footer: [8]string{"Quiénes somos", "Contacto", "Publicidad", "Condiciones de uso", "Política de privacidad", "RSS", "Empleo", "Mapa del sitio"},
	},
	"ru": {
		sections: [10]string{"Политика", "В мире", "Экономика", "Общество", "Культура", "Спорт", "Наука", "Здоровье", "Путешествия", "Мнения"},
		mostRead: "Самое читаемое", readMore: "Читайте также", video: "Видео",
		newsletter: "Утренняя рассылка", newsletterText: "Главные новости дня в вашей почте каждое утро.", subscribe: "Подписаться",
		email: "Ваш адрес электронной почты", search: "Поиск", login: "Войти", send: "Отправить",
		consent: "Мы используем файлы cookie и похожие технологии, чтобы персонализировать материалы и рекламу, предоставлять функции социальных сетей и анализировать трафик. Вы можете изменить свой выбор в любое время в настройках конфиденциальности.",
		accept:  "Принять все", settings: "Настроить",
		commentsHead: "Комментарии читателей", reply: "Ответить", like: "Нравится",
		comments: [6]string{
			"Спасибо за материал, людям важно знать, что происходит.",
			"Надеюсь, власти продолжат работу и помогут семьям.",
			"Очень познавательная статья, поделился с коллегами.",
			"Почему так долго ничего не меняется? Мы читаем такие истории каждый год.",
			"Приятно видеть, что страны работают вместе.",
			"Опубликуйте, пожалуйста, продолжение через несколько месяцев.",
		},
		names:  [6]string{"Анна К.", "Дмитрий", "Ольга С.", "Нгуен Минь", "Читатель", "Сергей П."},
		footer: [8]string{"О нас", "Контакты", "Реклама", "Условия использования", "Политика конфиденциальности", "RSS", "Вакансии", "Карта сайта"},
	},
	"ar": {
		sections: [10]string{"السياسة", "العالم", "الاقتصاد", "المجتمع", "الثقافة", "الرياضة", "العلوم", "الصحة", "السفر", "آراء"},
		mostRead: "الأكثر قراءة", readMore: "اقرأ أيضا", video: "فيديو",
		newsletter: "النشرة الصباحية", newsletterText: "أهم أخبار اليوم في بريدك الإلكتروني كل صباح.", subscribe: "اشترك",
		email: "بريدك الإلكتروني", search: "بحث", login: "تسجيل الدخول", send: "إرسال",
		consent: "نستخدم ملفات تعريف الارتباط وتقنيات مماثلة لتخصيص المحتوى والإعلانات وتوفير ميزات وسائل التواصل الاجتماعي وتحليل حركة المرور. يمكنك تغيير اختياراتك في أي وقت من إعدادات الخصوصية.",
		accept:  "قبول الكل", settings: "الإعدادات",
		commentsHead: "تعليقات القراء", reply: "رد", like: "إعجاب",
		comments: [6]string{
			"شكرا على هذا التقرير، من المهم أن يعرف الناس ما يحدث.",
			"أتمنى أن تواصل السلطات عملها وأن تحصل الأسر على الدعم.",
			"مقال مفيد جدا، شاركته مع زملائي.",
			"لماذا يستغرق التغيير كل هذا الوقت؟ نقرأ هذه القصص كل عام.",
			"من الجيد رؤية الدول تعمل معا في هذا المجال.",
			"هل يمكنكم نشر متابعة بعد بضعة أشهر؟",
		},
		names:  [6]string{"أحمد", "فاطمة س.", "محمد علي", "نغوين مينه", "قارئ", "ليلى"},
		footer: [8]string{"من نحن", "اتصل بنا", "إعلانات", "شروط الاستخدام", "سياسة الخصوصية", "RSS", "وظائف", "خريطة الموقع"},
	},
	"zh": {
		sections: [10]string{"政治", "国际", "经济", "社会", "文化", "体育", "科技", "健康", "旅游", "评论"},
		mostRead: "阅读排行", readMore: "延伸阅读", video: "视频",
		newsletter: "订阅早间简报", newsletterText: "每天早上将当天最重要的新闻发送到您的邮箱。", subscribe: "订阅",
		email: "您的电子邮箱", search: "搜索", login: "登录", send: "发表",
		consent: "我们使用 Cookie 及类似技术来个性化内容和广告、提供社交媒体功能并分析网站流量。您可以随时在隐私设置中更改您的选择。",
		accept:  "全部接受", settings: "管理设置",
		commentsHead: "读者评论", reply: "回复", like: "点赞",
		comments: [6]string{
			"感谢报道，大家有必要了解正在发生的事情。",
			"希望有关部门继续努力，帮助这些家庭。",
			"文章很有参考价值，已经转发给同事。",
			"为什么每年都看到这样的新闻却没有改变？",
			"很高兴看到各国在这方面携手合作。",
			"希望几个月后能有后续报道。",
		},
		names:  [6]string{"小王", "李明", "张丽", "阮文明", "读者", "陈先生"},
		footer: [8]string{"关于我们", "联系我们", "广告服务", "使用条款", "隐私政策", "RSS", "招聘信息", "网站地图"},
	},
}

// siteWordsFor returns the chrome strings of lang, English for others.
func siteWordsFor(lang string) siteWords {
	if w, ok := siteChrome[lang]; ok {
		return w
	}
	return siteChrome["en"]
}
